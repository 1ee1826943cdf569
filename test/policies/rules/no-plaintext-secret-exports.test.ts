import * as assert from "assert";
import { checkExports, nameSaysSecret } from "../../../policies/rules/no-plaintext-secret-exports";
import { StackConfigView, StackSubject } from "../../../policies/lib/rule";
import { SIG_KEY, SECRET_SIG, UNKNOWN_STRING, Wire, WireObject } from "../../../policies/lib/wire";
import * as pulumi from "@pulumi/pulumi";
import { assertNoLeak, fake, randomFrom } from "../../helpers/secrets";

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

const secret = (value: Wire): Wire => ({ [SIG_KEY]: SECRET_SIG, value });
const ROOT = "urn:pulumi:dev::ml::pulumi:pulumi:Stack::ml-dev";

function cfg(values: Record<string, string> = {}, secretKeys: string[] = []): StackConfigView {
    return { available: true, values: new Map(Object.entries(values)), secretKeys: new Set(secretKeys) };
}

function stack(exports: WireObject): StackSubject[] {
    return [
        { type: "pulumi:pulumi:Stack", urn: ROOT, name: "ml-dev", props: exports, dependencies: [], propertyDependencies: {} },
        { type: "aws:s3/bucket:Bucket", urn: "urn:pulumi:dev::ml::aws:s3/bucket:Bucket::b", name: "b", parent: ROOT, props: { password: "x" }, dependencies: [], propertyDependencies: {} },
    ];
}

const run = (exports: WireObject, c = cfg(), allowExports: string[] = []) => checkExports(stack(exports), { allowExports }, c);

describe("no-plaintext-secret-exports rule", () => {
    it("flags an export that carries secret config without being secret, naming the export and key", () => {
        const key = fake.openai();
        const f = run({ apiKey: key }, cfg({ "ml:apiKey": key }, ["ml:apiKey"]));
        assert.strictEqual(f.length, 1);
        assert.strictEqual(f[0].urn, ROOT);
        assert.match(f[0].message, /stack export 'apiKey'/);
        assert.match(f[0].message, /secret config 'ml:apiKey'/);
        assert.match(f[0].message, /pulumi\.secret/);
        assertNoLeak(f[0].message, key);
    });

    it("does not flag the same value when it is a Pulumi secret on the wire, or unknown", () => {
        const key = fake.openai();
        assert.deepStrictEqual(run({ apiKey: secret(key), later: UNKNOWN_STRING }, cfg({ "ml:apiKey": key }, ["ml:apiKey"])), []);
    });

    it("flags a short secret config value only when the export equals it, longer ones when contained", () => {
        assert.strictEqual(run({ host: "db-abc.internal" }, cfg({ "ml:pw": "abc" }, ["ml:pw"])).length, 0);
        assert.strictEqual(run({ host: "abc" }, cfg({ "ml:pw": "abc" }, ["ml:pw"])).length, 1);
        assert.strictEqual(run({ host: "db-abcd1234.internal" }, cfg({ "ml:pw": "abcd1234" }, ["ml:pw"])).length, 1);
    });

    it("flags credential formats and credentials from plaintext config, nested and inside JSON", () => {
        const tok = fake.githubPat();
        const f = run({ settings: { nested: [JSON.stringify({ gh: tok })] } });
        assert.strictEqual(f.length, 1);
        assert.match(f[0].message, /github/);
        assertNoLeak(f[0].message, tok);
    });

    it("flags an export whose name says it holds a plaintext secret (seed 004's decrypted_plaintext)", () => {
        const f = run({ decrypted_plaintext: "my-ml-api-key", ciphertext: "vault:v1:abcdEFGH1234" });
        assert.strictEqual(f.length, 1);
        assert.match(f[0].message, /'decrypted_plaintext'/);
    });

    it("flags an unknown, non-secret export whose name says it is secret (a preview of seed 004), but not a secret-wrapped one", () => {
        const f = run({ decrypted_plaintext: UNKNOWN_STRING, ciphertext: UNKNOWN_STRING });
        assert.strictEqual(f.length, 1);
        assert.match(f[0].message, /'decrypted_plaintext' will be exported in plaintext/);
        assert.deepStrictEqual(run({ decrypted_plaintext: secret(UNKNOWN_STRING), api_key: secret(UNKNOWN_STRING) }), []);
    });

    it("does not flag references to secrets whose names mention secrets (seed 000's api_key_secret_arn)", () => {
        assert.deepStrictEqual(run({
            api_key_secret_arn: "arn:aws:secretsmanager:us-west-2:123456789012:secret:apiKeySecret-AbCdEf",
            api_key_secret_id: "secret/data/ml_api_key",
            gcp_crypto_key_id: "projects/p/locations/global/keyRings/r/cryptoKeys/k",
            key_vault_uri: "https://kv-ml.vault.azure.net/",
            ml_workspace_name: "my-ml-workspace",
        }), []);
    });

    it("honours allowExports", () => {
        assert.strictEqual(run({ decrypted_plaintext: "x-y-z" }, cfg(), ["decrypted_plaintext"]).length, 0);
    });

    it("classifies export names", () => {
        for (const n of ["password", "dbPassword", "api_key", "apiToken", "privateKey", "decrypted_plaintext", "clientSecret"]) {
            assert.strictEqual(nameSaysSecret(n), true, `index ${n.length}`);
        }
        for (const n of ["api_key_secret_arn", "secretArn", "kmsKeyId", "ciphertext", "tokenUrl", "ml_workspace_name", "key_vault_uri"]) {
            assert.strictEqual(nameSaysSecret(n), false, `index ${n.length}`);
        }
    });

    it("does not flag names of secret resources (or pointers to them), preview and update alike", () => {
        for (const n of ["hfTokenSecret", "dbPasswordSecretId", "apiKeySecretArn", "tokenSecretName", "hf_token_secret", "apiKeySecret"]) {
            assert.strictEqual(nameSaysSecret(n), false, n);
            assert.deepStrictEqual(run({ [n]: UNKNOWN_STRING }), [], `${n} unknown in preview`);
        }
        // In an update they hold the resource's ARN, id or name.
        assert.deepStrictEqual(run({
            hfTokenSecret: "arn:aws:secretsmanager:us-west-2:123456789012:secret:hf-token-AbCdEf",
            dbPasswordSecretId: "projects/p/secrets/db-password",
            apiKeySecretArn: "arn:aws:secretsmanager:us-west-2:123456789012:secret:api-key-AbCdEf",
            tokenSecretName: "hf-token",
        }), []);
    });

    it("still flags names of secret material: unknown in preview when not secret, and by value in an update", () => {
        for (const n of ["decryptedPlaintext", "apiKeyPlaintext", "dbPassword", "clientSecret", "jwtSecret", "hfTokenSecretValue"]) {
            assert.strictEqual(nameSaysSecret(n), true, n);
            const preview = run({ [n]: UNKNOWN_STRING });
            assert.strictEqual(preview.length, 1, `${n} in preview`);
            assert.strictEqual(preview[0].level, undefined, "mandatory (the policy's level)");
            assert.strictEqual(run({ [n]: secret(UNKNOWN_STRING) }).length, 0, `${n} secret in preview`);
        }
        const pw = fake.password();
        for (const n of ["decryptedPlaintext", "apiKeyPlaintext", "dbPassword"]) {
            const f = run({ [n]: pw });
            assert.strictEqual(f.length, 1, `${n} in an update`);
            assert.match(f[0].message, new RegExp(`its name '${n}' says it is secret`));
            assertNoLeak(f[0].message, pw);
        }
    });

    it("an AWS access key id on its own is advisory, however it is named or nested", () => {
        const id = fake.awsAccessKeyId();
        const shapes: WireObject[] = [{ accessKeyId: id }, { awsAccessKey: id }, { deployer: { accessKeyId: id, user: "ci" } }];
        for (const exportsOf of shapes) {
            const f = run(exportsOf);
            assert.strictEqual(f.length, 1, JSON.stringify(Object.keys(exportsOf)));
            assert.strictEqual(f[0].level, "advisory");
            assert.match(f[0].message, /AWS access key id in plaintext/);
            assertNoLeak(f[0].message, id);
        }
        // The same id from plaintext config is still only the identifier half.
        const fromConfig = run({ accessKeyId: id }, cfg({ "ml:accessKeyId": id }));
        assert.deepStrictEqual(fromConfig.map((x) => x.level), ["advisory"]);
    });

    it("the secret half, a credentials document holding it, or an id from secret config stay mandatory", () => {
        const id = fake.awsAccessKeyId();
        const sk = randomFrom(ALNUM + "/+", 40);
        const pair = run({ deployer: { accessKeyId: id, secretAccessKey: sk } });
        assert.deepStrictEqual(pair.map((x) => x.level ?? "mandatory").sort(), ["advisory", "mandatory"]);
        assert.ok(pair.some((x) => x.level === undefined && /secretAccessKey/.test(x.message)));
        const ini = run({ credentialsFile: `[default]\naws_access_key_id = ${id}\naws_secret_access_key = ${sk}\n` });
        assert.deepStrictEqual(ini.map((x) => x.level), [undefined]);
        const doc = run({ creds: JSON.stringify({ AccessKeyId: id, SecretAccessKey: sk }) });
        assert.ok(doc.some((x) => x.level === undefined), JSON.stringify(doc.map((x) => x.level)));
        const secretCfg = run({ accessKeyId: id }, cfg({ "ml:accessKeyId": id }, ["ml:accessKeyId"]));
        assert.deepStrictEqual(secretCfg.map((x) => x.level), [undefined]);
        for (const f of [...pair, ...ini, ...doc]) {
            assertNoLeak(f.message, sk);
            assertNoLeak(f.message, id);
        }
    });

    it("[secret] and ******** (what state exports show for a hidden secret) are never findings", () => {
        assert.deepStrictEqual(run({ dbPassword: "[secret]", apiKey: "********", nested: { token: "[secret]", list: ["********"] } }), []);
    });

    it("Pulumi's Output-stringified warning text is not secret material, even under a secret name", () => {
        const out = pulumi.output("x");
        assert.deepStrictEqual(run({ apiToken: `${out}`, settings: JSON.stringify({ password: out }) }), []);
        // A credential written around it still is.
        assert.strictEqual(run({ dbUrl: `postgres://admin:${fake.password()}@${out}/app` }).length, 1);
    });

    it("is not applicable without a root stack and never throws on odd shapes", () => {
        assert.deepStrictEqual(checkExports([], { allowExports: [] }, cfg()), []);
        assert.doesNotThrow(() => run({ a: null, b: [1, true, null, [[{}]]], c: { [SIG_KEY]: "junk" } as WireObject, d: "{not json" }));
    });
});
