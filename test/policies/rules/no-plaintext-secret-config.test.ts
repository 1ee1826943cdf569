import * as assert from "assert";
import {
    allowlistProblems,
    analyzeResource,
    checkConfigValues,
    checkExportedConfig,
    checkResourceInputs,
    cliPath,
    fixCommand,
    looksLikeSecret,
    PlaintextConfigConfig,
} from "../../../policies/rules/no-plaintext-secret-config";
import { analyzeInputs, confirmInStack } from "../../../policies/rules/no-hardcoded-secrets";
import { Finding, ResourceSubject, StackConfigView, StackSubject } from "../../../policies/lib/rule";
import { SECRET_SIG, SIG_KEY, UNKNOWN_STRING, Wire, WireObject } from "../../../policies/lib/wire";
import { assertNoLeak, fake } from "../../helpers/secrets";

const PROJECT = "ml";
const ROOT = { urn: `urn:pulumi:dev::${PROJECT}::pulumi:pulumi:Stack::${PROJECT}-dev` };
const defaults: PlaintextConfigConfig = { allowlist: [] };
const secret = (value: Wire): Wire => ({ [SIG_KEY]: SECRET_SIG, value });

function cfg(values: Record<string, string>, secretKeys: string[] = []): StackConfigView {
    return { available: true, values: new Map(Object.entries(values)), secretKeys: new Set(secretKeys) };
}

function subject(type: string, props: WireObject, name = "r"): ResourceSubject {
    return { type, name, urn: `urn:pulumi:dev::${PROJECT}::${type}::${name}`, props };
}

function stackOf(rootProps: WireObject): StackSubject[] {
    return [{ ...ROOT, type: "pulumi:pulumi:Stack", name: `${PROJECT}-dev`, props: rootProps, dependencies: [], propertyDependencies: {} }];
}

/** The key each root finding names (`stack config '<key>' ...`). */
function keysNamed(fs: Finding[]): string[] {
    return fs.map((f) => /^stack config '([^']+)'/.exec(f.message)?.[1] ?? `?${f.message.slice(0, 60)}`).sort();
}

describe("no-plaintext-secret-config rule", () => {
    describe("criteria 1 and 3: the config alone (root stack)", () => {
        it("flags a credential format whether or not it is used, and a secret-named key with a secret-looking value", () => {
            const key = fake.openai();
            const c = cfg({ "ml:unusedKey": key, "ml:dbPassword": "Winter2024!db", "aws:region": "us-west-2", "ml:bucket": "ml-data" });
            const fs = checkConfigValues(c, defaults, ROOT);
            assert.deepStrictEqual(keysNamed(fs), ["dbPassword", "unusedKey"]);
            assert.match(fs.find((f) => f.message.includes("'unusedKey'"))!.message, /matches a credential format \(openai-api-key\)/);
            for (const f of fs) {
                assert.strictEqual(f.urn, ROOT.urn);
                assertNoLeak(f.message, key);
                assert.ok(!f.message.includes("Winter2024"), "value shown");
            }
        });

        it("never flags a secret key, whatever its value", () => {
            const c = cfg({ "ml:apiKey": fake.openai(), "vault:token": fake.vaultToken(), "ml:dbPassword": "Winter2024!db" },
                ["ml:apiKey", "vault:token", "ml:dbPassword"]);
            assert.deepStrictEqual(checkConfigValues(c, defaults, ROOT), []);
        });

        it("does not flag names that refer to or describe a secret, nor values that are not secrets", () => {
            const c = cfg({
                "ml:tokenEndpoint": "https://login.example.com/oauth2/v2.0/token",
                "ml:passwordLength": "16",
                "ml:secretName": "ml-api",
                "ml:apiKeySecretArn": "arn:aws:secretsmanager:us-west-2:123456789012:secret:ml-api-AbCdEf",
                // Secret-named keys whose values are not secrets: a number, a boolean, a URL without credentials, a
                // resource name, a placeholder left in, an empty value.
                "ml:tokenTtl": "3600",
                "ml:apiToken": "42",
                "ml:rotateSecret": "true",
                "ml:clientSecret": "https://vault.example.com:8200/v1/secret/data/ml",
                "ml:dbPassword": "prod/ml-db-password",
                "ml:vaultToken": "your-vault-token",
                "ml:hfToken": "",
            });
            assert.deepStrictEqual(checkConfigValues(c, defaults, ROOT), []);
        });

        it("looksLikeSecret: the value side of criterion 3", () => {
            for (const v of ["Winter2024!db", "hunter2", "s3cr3tValue-9x", "Pw-4kLm9"]) assert.strictEqual(looksLikeSecret(v), true, v);
            for (const v of ["", "  ", "16", "-1.5", "true", "off", "ml-api", "prod/db-password", "https://example.com/token", "changeme", "<your-token>", "[secret]", "********"]) {
                assert.strictEqual(looksLikeSecret(v), false, JSON.stringify(v));
            }
        });

        it("flags provider namespaces in plaintext: aws:secretKey, vault:token, azure-native:clientSecret, gcp:credentials", () => {
            const awsSecret = `${fake.password()}${fake.password()}`.replace(/[^A-Za-z0-9]/g, "x").slice(0, 40);
            const c = cfg({
                "aws:accessKey": fake.awsAccessKeyId(),
                "aws:secretKey": awsSecret,
                "vault:token": fake.vaultToken(),
                "azure-native:clientSecret": "Xy8Q~" + fake.password(),
                "gcp:credentials": JSON.stringify({ type: "service_account", project_id: "ml-project", private_key_id: "k1", client_email: "ml@ml-project.iam.gserviceaccount.com" }),
                "aws:region": "us-west-2",
                "azure-native:location": "westeurope",
            });
            const fs = checkConfigValues(c, defaults, ROOT);
            assert.deepStrictEqual(keysNamed(fs), ["aws:accessKey", "aws:secretKey", "azure-native:clientSecret", "gcp:credentials", "vault:token"]);
            const secretKey = fs.find((f) => f.message.includes("'aws:secretKey'"))!.message;
            // Other namespaces keep their prefix in the command; the project's own keys lose it.
            assert.ok(secretKey.includes('`pulumi config set --secret aws:secretKey "$(pulumi config get aws:secretKey)"`'), secretKey);
            assertNoLeak(fs.map((f) => f.message).join("\n"), awsSecret);
        });

        it("walks the leaves of a structured (--path) value and names the path, with a --path command", () => {
            const c = cfg({
                "ml:db": JSON.stringify({ host: "db.internal.example.com", port: 5432, user: "ml", password: "Winter2024!db", passwordLength: 16 }),
                "ml:services": JSON.stringify([{ name: "ingest", token: "tok-9Xq2Lm-Zr7" }, { name: "train", tokenEndpoint: "https://t.example.com" }]),
                "ml:tags": JSON.stringify({ team: "ml", env: "dev" }),
            });
            const fs = checkConfigValues(c, defaults, ROOT);
            assert.deepStrictEqual(keysNamed(fs), ["db", "services"]);
            const db = fs.find((f) => f.message.includes("'db'"))!.message;
            assert.match(db, /at 'db\.password' \(its name says/);
            assert.ok(db.includes('`pulumi config set --secret --path db.password "$(pulumi config get --path db.password)"`'), db);
            assert.doesNotMatch(db, /db\.(host|user|port|passwordLength)/);
            const services = fs.find((f) => f.message.includes("'services'"))!.message;
            assert.ok(services.includes("'services[0].token'") && services.includes("--path 'services[0].token'"), services);
            assert.doesNotMatch(services, /tokenEndpoint|services\[1\]/);
        });

        it("a structured value under a secret-named key is reported whole, with the plain command", () => {
            const c = cfg({ "ml:dbCredentials": JSON.stringify({ user: "ml", password: "Winter2024!db" }) });
            const fs = checkConfigValues(c, defaults, ROOT);
            assert.strictEqual(fs.length, 1);
            assert.match(fs[0].message, /stack config 'dbCredentials' is a secret in plaintext/);
            assert.ok(fs[0].message.includes('pulumi config set --secret dbCredentials "$(pulumi config get dbCredentials)"'));
        });

        it("honours the allowlist by key as pulumi config names it, fully qualified, or by --path leaf", () => {
            const c = cfg({ "ml:dbPassword": "Winter2024!db", "vault:token": fake.vaultToken(), "ml:db": JSON.stringify({ password: "Hunter2-x!" }) });
            assert.strictEqual(checkConfigValues(c, defaults, ROOT).length, 3);
            const allow = (key: string) => ({ allowlist: [{ key, reason: "local throwaway" }] });
            assert.deepStrictEqual(keysNamed(checkConfigValues(c, allow("dbPassword"), ROOT)), ["db", "vault:token"]);
            assert.deepStrictEqual(keysNamed(checkConfigValues(c, allow("ml:dbPassword"), ROOT)), ["db", "vault:token"]);
            assert.deepStrictEqual(keysNamed(checkConfigValues(c, allow("vault:token"), ROOT)), ["db", "dbPassword"]);
            assert.deepStrictEqual(keysNamed(checkConfigValues(c, allow("db.password"), ROOT)), ["dbPassword", "vault:token"]);
            assert.deepStrictEqual(keysNamed(checkConfigValues(c, allow("db"), ROOT)), ["dbPassword", "vault:token"]);
            assert.strictEqual(checkConfigValues(c, allow("token"), ROOT).length, 3, "vault:token is not the project's token");
        });

        it("says when an allowlist entry names no key or gives no reason", () => {
            assert.deepStrictEqual(allowlistProblems({ allowlist: [{ key: "a", reason: "ok" }] }), []);
            const ps = allowlistProblems({ allowlist: [{ reason: "why" }, { key: "dbPassword" }] });
            assert.strictEqual(ps.length, 2);
            assert.match(ps[0], /allowlist\[0\] names no key/);
            assert.match(ps[1], /allowlist\[1\] gives no reason/);
        });

        it("does nothing without stack config, and says so when it cannot tell secret keys from plaintext ones", () => {
            assert.deepStrictEqual(checkConfigValues({ available: false, values: new Map(), secretKeys: new Set() }, defaults, ROOT), []);
            // PULUMI_CONFIG without ConfigureStack: decrypted secrets, no list of secret keys. Every key would look plaintext.
            const unknownKeys: StackConfigView = { ...cfg({ "ml:apiKey": fake.openai() }), secretKeysKnown: false };
            assert.deepStrictEqual(checkConfigValues(unknownKeys, defaults, ROOT), []);
            const rootSubject = { ...subject("pulumi:pulumi:Stack", {}, "ml-dev"), urn: ROOT.urn };
            const o = analyzeResource(rootSubject, defaults, { stackConfig: unknownKeys, phase: "analyze" });
            assert.match((o as { notApplicable: string }).notApplicable, /did not say which config keys are secret/);
            const rds = subject("aws:rds/instance:Instance", { password: [...unknownKeys.values.values()][0] }, "db");
            assert.deepStrictEqual(checkResourceInputs(rds, unknownKeys, defaults), []);
            // The control: the same config with its secret keys known (none) is a finding.
            assert.strictEqual(checkConfigValues({ ...unknownKeys, secretKeysKnown: true }, defaults, ROOT).length, 1);
        });

        it("fix commands: project keys lose the prefix, others keep it, paths get --path and quotes when needed", () => {
            assert.strictEqual(fixCommand({ key: "ml:dbPassword", path: [] }, PROJECT), 'pulumi config set --secret dbPassword "$(pulumi config get dbPassword)"');
            assert.strictEqual(fixCommand({ key: "aws:secretKey", path: [] }, PROJECT), 'pulumi config set --secret aws:secretKey "$(pulumi config get aws:secretKey)"');
            assert.strictEqual(cliPath({ key: "ml:db", path: ["users", 0, "password"] }, PROJECT), "db.users[0].password");
            assert.strictEqual(fixCommand({ key: "ml:db", path: ["users", 0, "password"] }, PROJECT),
                "pulumi config set --secret --path 'db.users[0].password' \"$(pulumi config get --path 'db.users[0].password')\"");
        });
    });

    describe("criterion 2: where the value goes (the resource that uses it)", () => {
        it("names the key and the property when a plaintext value reaches a schema-secret input", () => {
            const c = cfg({ "ml:dbMaster": "Winter2024db", "aws:region": "us-west-2" });
            const s = subject("aws:rds/instance:Instance", { password: "Winter2024db", engine: "postgres", username: "ml" }, "db");
            const fs = checkResourceInputs(s, c, defaults);
            assert.strictEqual(fs.length, 1);
            assert.strictEqual(fs[0].urn, s.urn);
            assert.match(fs[0].message, /aws:rds\/instance:Instance 'db' property password takes stack config 'dbMaster'/);
            assert.match(fs[0].message, /schema-secret-input/);
            assert.ok(!fs[0].message.includes("Winter2024db"));
            // The key's name does not say it is a secret, so only its use shows it: nothing on the root stack.
            assert.deepStrictEqual(checkConfigValues(c, defaults, ROOT), []);
        });

        it("a secret-bearing key of any resource, inside JSON and secret-wrapped too", () => {
            const c = cfg({ "ml:svc": "Qz7-plain-value-9" });
            const s = subject("aws:ssm/parameter:Parameter", {
                type: "String",
                value: secret(JSON.stringify({ endpoint: "https://api.example.com", client_secret: "Qz7-plain-value-9" })),
            }, "settings");
            const fs = checkResourceInputs(s, c, defaults);
            assert.strictEqual(fs.length, 1);
            assert.match(fs[0].message, /property value\{json\}\.client_secret takes stack config 'svc'/);
        });

        it("a credential whose secret part came from plaintext config, beside a resource output (connection string)", () => {
            const c = cfg({ "ml:pgPass": "Winter2024db" });
            const s = subject("aws:lambda/function:Function", {
                environment: { variables: { DATABASE_URL: "postgres://ml:Winter2024db@ml-db.abc123.us-west-2.rds.amazonaws.com:5432/ml" } },
            }, "fn");
            const fs = checkResourceInputs(s, c, defaults);
            assert.strictEqual(fs.length, 1);
            assert.match(fs[0].message, /property environment\.variables\.DATABASE_URL takes stack config 'pgPass'.*a credential \(url-password\)/);
        });

        it("a literal password in a URL whose host comes from plaintext config is not this policy's (the host is no secret)", () => {
            const c = cfg({ "ml:replicaHost": "replica.features.internal" });
            const s = subject("aws:lambda/function:Function", {
                environment: { variables: { REPLICA_URL: "postgres://sync:Lit3ral-Pw!x@replica.features.internal:5432/f" } },
            }, "fn");
            assert.deepStrictEqual(checkResourceInputs(s, c, defaults), []);
            assert.strictEqual(confirmInStack([{ ...s, dependencies: [], propertyDependencies: {} }], new Map([[s.urn, analyzeInputs(s, { allowlist: [], extraPatterns: [], disabledDetectors: [] }, { stackConfig: c, phase: "analyze" }).candidates]])).length, 1,
                "no-hardcoded-secrets reports the literal");
        });

        it("a --path leaf that reaches a secret place is named by its path", () => {
            const c = cfg({ "ml:db": JSON.stringify({ host: "db.example.com", password: "Winter2024db" }) });
            const s = subject("aws:rds/instance:Instance", { password: "Winter2024db", address: "db.example.com" }, "db");
            const fs = checkResourceInputs(s, c, defaults);
            assert.strictEqual(fs.length, 1);
            assert.match(fs[0].message, /property password takes stack config 'db\.password'.*--path db\.password/);
        });

        it("provider configuration: a plaintext vault:token on the default provider", () => {
            const token = fake.vaultToken();
            const c = cfg({ "vault:token": token, "vault:address": "https://vault.example.com:8200" });
            const s = subject("pulumi:providers:vault", { address: "https://vault.example.com:8200", token }, "default_7_8_0");
            const fs = checkResourceInputs(s, c, defaults);
            assert.strictEqual(fs.length, 1, "one finding per key per property, though the token is both a format and a secret field");
            assert.match(fs[0].message, /pulumi:providers:vault 'default_7_8_0' property token takes stack config 'vault:token'/);
            assertNoLeak(fs[0].message, token);
        });

        it("no finding when the value comes from secret config, is not in a secret place, or is a literal", () => {
            const c = cfg({ "ml:dbPass": "Winter2024db", "ml:bucket": "ml-training-data", "ml:region": "us-west-2" }, ["ml:dbPass"]);
            const rds = subject("aws:rds/instance:Instance", { password: "Winter2024db", dbName: "ml" }, "db");
            assert.deepStrictEqual(checkResourceInputs(rds, c, defaults), []);
            const bucket = subject("aws:s3/bucket:Bucket", { bucket: "ml-training-data", tags: { region: "us-west-2" } }, "b");
            assert.deepStrictEqual(checkResourceInputs(bucket, c, defaults), []);
            // A literal that merely contains a short plaintext value is hard-coded: no-hardcoded-secrets' finding, not ours.
            const literal = subject("aws:rds/instance:Instance", { password: "hunter2-us-west-2" }, "db2");
            assert.deepStrictEqual(checkResourceInputs(literal, c, defaults), []);
        });

        it("honours the allowlist, steps over unknowns, and leaves the root stack to the other phases", () => {
            const c = cfg({ "ml:dbPass": "Winter2024db" });
            const s = subject("aws:rds/instance:Instance", { password: "Winter2024db", endpoint: UNKNOWN_STRING }, "db");
            assert.strictEqual(checkResourceInputs(s, c, defaults).length, 1);
            assert.deepStrictEqual(checkResourceInputs(s, c, { allowlist: [{ key: "dbPass", reason: "local" }] }), []);
            const root = { ...subject("pulumi:pulumi:Stack", { dbPass: "Winter2024db" }, "ml-dev"), urn: ROOT.urn };
            assert.deepStrictEqual(checkResourceInputs(root, c, defaults), []);
        });
    });

    describe("criterion 2: exports (AnalyzeStack)", () => {
        it("names the key when an export that no-plaintext-secret-exports flags carries a plaintext config value", () => {
            const c = cfg({ "ml:dbPass": "Winter2024db", "ml:dbHost": "db.internal.example.com" });
            const fs = checkExportedConfig(stackOf({ dbPassword: "Winter2024db", dbHost: "db.internal.example.com", conn: { password: "Winter2024db", host: "x" } }), c, defaults);
            assert.deepStrictEqual(fs.map((f) => f.message.replace(/ which is set.*/, "")).sort(), [
                "stack export 'conn' at password carries stack config 'dbPass',",
                "stack export 'dbPassword' carries stack config 'dbPass',",
            ]);
            for (const f of fs) assert.strictEqual(f.urn, ROOT.urn);
        });

        it("no finding for a secret export, an export that is not secret material, or secret config", () => {
            const plain = cfg({ "ml:dbPass": "Winter2024db" });
            assert.deepStrictEqual(checkExportedConfig(stackOf({ dbPassword: secret("Winter2024db") }), plain, defaults), []);
            assert.deepStrictEqual(checkExportedConfig(stackOf({ label: "Winter2024db" }), plain, defaults), []);
            const secretCfg = cfg({ "ml:dbPass": "Winter2024db" }, ["ml:dbPass"]);
            assert.deepStrictEqual(checkExportedConfig(stackOf({ dbPassword: "Winter2024db" }), secretCfg, defaults), []);
        });
    });

    describe("no double report with no-hardcoded-secrets", () => {
        it("a credential from plaintext config is this policy's finding only; a literal stays no-hardcoded-secrets'", () => {
            const key = fake.githubPat();
            const c = cfg({ "ml:ghToken": key });
            const fromConfig = subject("vault:kv/secretV2:SecretV2", { dataJson: JSON.stringify({ token: key }) }, "ci");
            const hard = analyzeInputs(fromConfig, { allowlist: [], extraPatterns: [], disabledDetectors: [] }, { stackConfig: c, phase: "analyze" });
            assert.deepStrictEqual([...hard.findings, ...confirmInStack([{ ...fromConfig, dependencies: [], propertyDependencies: {} }], new Map([[fromConfig.urn, hard.candidates]]))], []);
            const ours = checkResourceInputs(fromConfig, c, defaults);
            assert.strictEqual(ours.length, 1);
            assert.match(ours[0].message, /property dataJson\{json\}\.token takes stack config 'ghToken'/);
            assertNoLeak(ours[0].message, key);
            const literal = subject("vault:kv/secretV2:SecretV2", { dataJson: JSON.stringify({ token: fake.githubPat() }) }, "ci2");
            assert.deepStrictEqual(checkResourceInputs(literal, c, defaults), []);
        });
    });
});
