import * as assert from "assert";
import {
    analyzeInputs,
    confirmInStack,
    HardcodedSecretsConfig,
    isAllowed,
} from "../../../policies/rules/no-hardcoded-secrets";
import { meta } from "../../../policies/no-hardcoded-secrets";
import { defaultsOf } from "../../../policies/lib/config-schema";
import { ResourceSubject, RuleContext, StackConfigView, StackSubject } from "../../../policies/lib/rule";
import { SIG_KEY, SECRET_SIG, UNKNOWN_STRING, Wire, WireObject } from "../../../policies/lib/wire";
import { assertNoLeak, fake } from "../../helpers/secrets";
import { cryptoRand, FORMAT_FAKES } from "../../hardening/fakes";

const secret = (value: Wire): Wire => ({ [SIG_KEY]: SECRET_SIG, value });
/** The policy's settings at their schema defaults. */
const defaults = defaultsOf<HardcodedSecretsConfig>(meta);

function cfg(values: Record<string, string> = {}, secretKeys: string[] = []): StackConfigView {
    return { available: true, values: new Map(Object.entries(values)), secretKeys: new Set(secretKeys) };
}

function ctx(stackConfig = cfg()): RuleContext {
    return { stackConfig, phase: "analyze" };
}

function subject(type: string, props: WireObject, name = "r"): ResourceSubject {
    return { type, name, urn: `urn:pulumi:dev::ml::${type}::${name}`, props };
}

function stackOf(s: ResourceSubject, propertyDependencies: Record<string, string[]> = {}): StackSubject {
    return { ...s, dependencies: Object.values(propertyDependencies).flat(), propertyDependencies };
}

/** Both phases, as the engine runs them: Analyze then AnalyzeStack. */
function run(s: ResourceSubject, opts: { config?: HardcodedSecretsConfig; stackConfig?: StackConfigView; deps?: Record<string, string[]> } = {}) {
    const a = analyzeInputs(s, opts.config ?? defaults, ctx(opts.stackConfig));
    const confirmed = confirmInStack([stackOf(s, opts.deps)], new Map([[s.urn, a.candidates]]));
    return { analyze: a, confirmed, all: [...a.findings, ...confirmed] };
}

describe("no-hardcoded-secrets rule", () => {
    it("flags a hard-coded API key even though the SDK sent it secret-wrapped, and redacts it", () => {
        const key = fake.openai();
        const s = subject("aws:secretsmanager/secretVersion:SecretVersion", { secretId: "arn:aws:secretsmanager:us-east-1:123456789012:secret:x", secretString: secret(key) });
        const r = run(s);
        assert.strictEqual(r.confirmed.length, 1);
        assert.match(r.confirmed[0].message, /secretString/);
        assert.match(r.confirmed[0].message, /openai/);
        assert.strictEqual(r.confirmed[0].urn, s.urn);
        assertNoLeak(r.confirmed[0].message, key);
    });

    it("does not flag the same key when it equals a secret config value", () => {
        const key = fake.openai();
        const s = subject("aws:secretsmanager/secretVersion:SecretVersion", { secretString: secret(key) });
        const r = run(s, { stackConfig: cfg({ "ml:apiKey": key }, ["ml:apiKey"]) });
        assert.deepStrictEqual(r.all, []);
    });

    it("leaves a credential taken from plaintext config to no-plaintext-secret-config (one mistake, one finding)", () => {
        const key = fake.githubPat();
        const s = subject("vault:kv/secretV2:SecretV2", { dataJson: JSON.stringify({ token: key }) });
        // The control: the same value with no config behind it is hard-coded.
        assert.strictEqual(run(s).confirmed.length, 1);
        const r = run(s, { stackConfig: cfg({ "ml:ghToken": key }) });
        assert.deepStrictEqual(r.all, []);
        assert.deepStrictEqual(r.analyze.candidates, []);
    });

    it("does not flag a value built around secret config (Bearer <secret>)", () => {
        const token = fake.vaultToken();
        const s = subject("aws:ssm/parameter:Parameter", { value: `Bearer ${token}`, type: "SecureString" });
        assert.deepStrictEqual(run(s, { stackConfig: cfg({ "ml:token": token }, ["ml:token"]) }).all, []);
    });

    it("still flags a literal that merely contains a short plaintext config value", () => {
        const s = subject("aws:rds/instance:Instance", { password: "hunter2-us-west-2", engine: "postgres" });
        const r = run(s, { stackConfig: cfg({ "aws:region": "us-west-2" }) });
        assert.strictEqual(r.confirmed.length, 1);
        assert.match(r.confirmed[0].message, /password/);
    });

    it("flags a literal password in a URL whose host comes from config, and not one whose password does", () => {
        const config = cfg({ "ml:replicaHost": "replica.features.internal", "ml:replicaPassword": "Pw-9fjQ2mLx7Rt" }, ["ml:replicaPassword"]);
        const literal = subject("aws:lambda/function:Function", { environment: { variables: { REPLICA_URL: "postgres://sync:Lit3ral-Pw!x@replica.features.internal:5432/f" } } });
        const r = run(literal, { stackConfig: config });
        assert.strictEqual(r.confirmed.length, 1);
        assert.match(r.confirmed[0].message, /REPLICA_URL .*url-password/);
        const fromConfig = subject("aws:lambda/function:Function", { environment: { variables: { REPLICA_URL: "postgres://sync:Pw-9fjQ2mLx7Rt@replica.features.internal:5432/f" } } }, "c");
        assert.deepStrictEqual(run(fromConfig, { stackConfig: config }).all, []);
    });

    it("does not flag a value whose property came from another resource (random.RandomPassword on a second run)", () => {
        const generated = fake.password();
        const s = subject("aws:rds/instance:Instance", { password: secret(generated), engine: "postgres" });
        const random = stackOf(subject("random:index/randomPassword:RandomPassword", { length: 32, result: secret(generated) }, "db"));
        const a = analyzeInputs(s, defaults, ctx());
        assert.strictEqual(a.candidates.length, 1, "a candidate at Analyze: it looks like a literal there");
        assert.deepStrictEqual(confirmInStack([stackOf(s, { password: [random.urn] }), random], new Map([[s.urn, a.candidates]])), []);
        // The control: the same dependency, but the value is not among its outputs (another literal).
        const other = subject("aws:rds/instance:Instance", { password: secret(fake.password()), engine: "postgres" }, "other");
        const b = analyzeInputs(other, defaults, ctx());
        assert.strictEqual(confirmInStack([stackOf(other, { password: [random.urn] }), random], new Map([[other.urn, b.candidates]])).length, 1);
    });

    describe("provenance per value, not per property", () => {
        const role = stackOf(subject("aws:iam/role:Role", { arn: "arn:aws:iam::123456789012:role/ml-inference", name: "ml-inference" }, "role"));
        const db = stackOf(subject("aws:rds/instance:Instance", { address: "ml-db.c9akciq32.us-east-1.rds.amazonaws.com", port: 5432 }, "db"));
        const pw = stackOf(subject("random:index/randomPassword:RandomPassword", { result: secret("q8Z-vv2PLr9mXw4e") }, "pw"));
        const secretStore = stackOf(subject("aws:secretsmanager/secret:Secret", { arn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:ml-x", name: "ml-x" }, "store"));
        const world = [role, db, pw, secretStore];

        function confirm(s: ResourceSubject, deps: Record<string, string[]>, environment?: string[]) {
            const a = analyzeInputs(s, defaults, { ...ctx(), environment });
            return confirmInStack([stackOf(s, deps), ...world], new Map([[s.urn, a.candidates]]));
        }

        it("flags a literal key in a Lambda environment map beside a reference to a role ARN", () => {
            const key = fake.openai();
            const s = subject("aws:lambda/function:Function", {
                environment: { variables: { ROLE_ARN: role.props.arn, OPENAI_API_KEY: key, STAGE: "prod" } },
            });
            const f = confirm(s, { environment: [role.urn] });
            assert.strictEqual(f.length, 1);
            assert.match(f[0].message, /environment\.variables\.OPENAI_API_KEY .*openai-api-key/);
            assertNoLeak(f[0].message, key);
        });

        it("flags a password written into a connection string that interpolates another resource's host", () => {
            const s = subject("aws:ssm/parameter:Parameter", { type: "SecureString", value: `postgres://admin:Winter2024!db@${db.props.address}:5432/app` });
            const f = confirm(s, { value: [db.urn] });
            assert.strictEqual(f.length, 1);
            assert.match(f[0].message, /url-password/);
        });

        it("does not flag the same connection string when the password is another resource's output", () => {
            const s = subject("aws:ssm/parameter:Parameter", { type: "SecureString", value: secret(`postgres://admin:q8Z-vv2PLr9mXw4e@${db.props.address}:5432/app`) });
            assert.deepStrictEqual(confirm(s, { value: [db.urn, pw.urn] }), []);
        });

        it("does not flag a secret-bearing connection string made of outputs and structure only", () => {
            const s = subject("azure-native:web:WebAppConnectionStrings", {
                properties: { ml: { value: `Server=tcp:${db.props.address},1433;Database=ml;Authentication=Active Directory Default;Encrypt=true`, type: "SQLAzure" } },
                connectionString: `Server=tcp:${db.props.address},1433;Database=ml;Encrypt=true`,
            });
            assert.deepStrictEqual(confirm(s, { properties: [db.urn], connectionString: [db.urn] }), []);
        });

        it("does not flag HTTP basic auth derived from another resource's password (base64 of user:password)", () => {
            const basic = "Basic " + Buffer.from("admin:q8Z-vv2PLr9mXw4e").toString("base64");
            const s = subject("aws:s3/bucket:Bucket", { bucket: "ml-models", tags: { authorization: basic } });
            assert.deepStrictEqual(confirm(s, { tags: [pw.urn] }), []);
            // The control: the same header around a literal password.
            const literal = "Basic " + Buffer.from("admin:Lit3ral-Passw0rd!").toString("base64");
            const t = subject("aws:s3/bucket:Bucket", { bucket: "ml-models", tags: { authorization: literal } }, "t");
            assert.strictEqual(confirm(t, { tags: [pw.urn] }).length, 1);
        });

        it("does not flag a secret read through an invoke from a secret store the property depends on", () => {
            const s = subject("aws:lambda/function:Function", { environment: { variables: { OPENAI_API_KEY: secret(fake.openai()) } } });
            assert.deepStrictEqual(confirm(s, { environment: [secretStore.urn] }), []);
            // Not secret on the wire: not what a secret store's invoke returns.
            const t = subject("aws:lambda/function:Function", { environment: { variables: { OPENAI_API_KEY: fake.openai() } } }, "t");
            assert.strictEqual(confirm(t, { environment: [secretStore.urn] }).length, 1);
        });

        it("does not judge a value whose dependency the engine did not send (nothing to compare with)", () => {
            const s = subject("aws:lambda/function:Function", { environment: { variables: { OPENAI_API_KEY: fake.openai() } } });
            assert.deepStrictEqual(confirm(s, { environment: ["urn:pulumi:dev::ml::aws:iam/role:Role::absent"] }), []);
        });

        it("does not flag a value equal to an environment variable's value, and still flags a literal beside it", () => {
            const token = fake.githubPat();
            const s = subject("pulumi:providers:github", { token, owner: "ml-platform" });
            assert.deepStrictEqual(confirm(s, {}, [token, "/usr/local/bin:/usr/bin"]), []);
            assert.deepStrictEqual(confirm(s, {}, [`Bearer ${token}`.slice(0, 7)]).length, 1, "a short environment value explains nothing");
            const t = subject("pulumi:providers:github", { token: fake.githubPat(), owner: "ml-platform" }, "t");
            assert.strictEqual(confirm(t, {}, [token]).length, 1);
        });
    });

    it("steps over unknowns leaf by leaf and still finds the known literal beside them", () => {
        const key = fake.huggingFace();
        const s = subject("vault:generic/secret:Secret", { path: UNKNOWN_STRING, dataJson: JSON.stringify({ hf_token: key, host: "x" }), extra: UNKNOWN_STRING });
        const r = run(s);
        assert.strictEqual(r.confirmed.length, 1);
        assert.match(r.confirmed[0].message, /dataJson\{json\}\.hf_token/);
    });

    it("finds a placeholder inside JSON held in a string and names the path and detector", () => {
        const s = subject("vault:generic/secret:Secret", { path: "secret/data/ml_api_key", dataJson: '{ "api_key": "super-secret-api-key" }' });
        const r = run(s);
        assert.strictEqual(r.confirmed.length, 1);
        assert.match(r.confirmed[0].message, /dataJson\{json\}\.api_key/);
        assert.match(r.confirmed[0].message, /placeholder/);
        // The placeholder is made of dictionary words the message itself uses ("secret"), so check its distinctive runs.
        for (const run of ["super-s", "t-api-key", "r-secr"]) assert.ok(!r.confirmed[0].message.includes(run), "placeholder leaked");
    });

    it("flags a provider's hard-coded token", () => {
        const s = subject("pulumi:providers:vault", { address: "http://your-vault-server:8200", token: secret("your-vault-token") }, "vault");
        const r = run(s);
        assert.strictEqual(r.confirmed.length, 1);
        assert.match(r.confirmed[0].message, /pulumi:providers:vault 'vault' property token/);
    });

    it("never flags references: ARNs, resolve references, transit ciphertext, Key Vault references", () => {
        const s = subject("aws:lambda/function:Function", {
            environment: {
                variables: {
                    API_KEY_SECRET_ARN: "arn:aws:secretsmanager:us-east-1:123456789012:secret:ml-api-key-AbCdEf",
                    DB_PASSWORD: "{{resolve:secretsmanager:prod/db:SecretString:password}}",
                    API_TOKEN: "vault:v1:8SDd3WHDOjf7mq69CyCqYjBXAiQQAVZRkFM13ok481zoCmHnSeDX9vyf7w==",
                    CLIENT_SECRET: "@Microsoft.KeyVault(SecretUri=https://ml-kv.vault.azure.net/secrets/client/)",
                },
            },
        });
        assert.deepStrictEqual(run(s).all, []);
    });

    it("honours the allowlist by URN glob and path glob", () => {
        const s = subject("aws:rds/instance:Instance", { password: "local-dev-only-pw" }, "devdb");
        assert.strictEqual(run(s).confirmed.length, 1);
        const config = { ...defaults, allowlist: [{ urn: "*::devdb", path: "password", reason: "throwaway local db" }] };
        assert.deepStrictEqual(run(s, { config }).all, []);
        assert.strictEqual(isAllowed([{ path: "pass*" }], s.urn, "password"), true);
        assert.strictEqual(isAllowed([{ urn: "*::otherdb" }], s.urn, "password"), false);
    });

    it("turns off a detector that the config disables", () => {
        const s = subject("pulumi:providers:vault", { token: "your-vault-token" }, "vault");
        assert.strictEqual(run(s).confirmed.length, 1);
        assert.deepStrictEqual(run(s, { config: { ...defaults, disabledDetectors: ["placeholder"] } }).confirmed, []);
    });

    it("reports an invalid extra pattern and an unknown detector name as config problems, without crashing", () => {
        const s = subject("aws:s3/bucket:Bucket", { bucket: "ml-data" });
        const r = analyzeInputs(s, { ...defaults, extraPatterns: [{ id: "bad", pattern: "([a-z]+)+$" }], disabledDetectors: ["no-such-detector"] }, ctx());
        assert.strictEqual(r.findings.length, 2);
        assert.match(r.findings[0].message, /extraPatterns/);
        assert.match(r.findings[1].message, /no-such-detector/);
    });

    it("uses an extra pattern from config", () => {
        const s = subject("aws:s3/bucket:Bucket", { tags: { note: "acme_live_0123456789abcdef01234567" } });
        assert.strictEqual(run(s).confirmed.length, 0);
        const r = run(s, { config: { ...defaults, extraPatterns: [{ id: "acme-key", pattern: "acme_live_[0-9a-f]{24}" }] } });
        assert.strictEqual(r.confirmed.length, 1);
        assert.match(r.confirmed[0].message, /acme-key/);
    });

    it("does not flag empty values, numbers, booleans or secret-looking key names that hold metadata", () => {
        const s = subject("random:index/randomPassword:RandomPassword", { length: 32, special: true, overrideSpecial: "!#$%", passwordLength: "32" });
        const t = subject("aws:secretsmanager/secret:Secret", { name: "ml-api-key", kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", recoveryWindowInDays: 7, description: "" });
        assert.deepStrictEqual(run(s).all, []);
        assert.deepStrictEqual(run(t).all, []);
    });

    it("does not mistake permission names for secrets (Key Vault access policy `permissions.secrets`)", () => {
        const s = subject("azure-native:keyvault:AccessPolicy", {
            vaultName: "kv-ml",
            policy: { tenantId: "00000000-0000-0000-0000-000000000000", objectId: "11111111-1111-1111-1111-111111111111", permissions: { secrets: ["get", "list"], keys: ["get"] } },
        });
        assert.deepStrictEqual(run(s).all, []);
        // A credential format is still found under a permissions container.
        const key = fake.githubPat();
        const t = subject("azure-native:keyvault:AccessPolicy", { policy: { permissions: { secrets: [key] } } });
        assert.strictEqual(run(t).confirmed.length, 1);
    });

    it("names a whole Google service-account JSON key (the GCP provider's credentials) as such, not only its PEM", () => {
        const sa = FORMAT_FAKES["gcp-service-account-key"](cryptoRand);
        const s = subject("pulumi:providers:gcp", { project: "ml-proj", credentials: secret(sa.value) }, "gcp");
        const detectors = run(s).confirmed.map((f) => /detector: ([a-z0-9-]+)/.exec(f.message)![1]).sort();
        assert.ok(detectors.includes("gcp-service-account-key"), detectors.join(","));
        for (const f of run(s).confirmed) assertNoLeak(f.message, sa.secret);
    });

    it("says so (advisory) when a value nests too deeply to scan, instead of passing silently", () => {
        let deep: Wire = { password: "never-reached-pw-1" };
        for (let i = 0; i < 300; i++) deep = { n: deep };
        const s = subject("aws:ssm/parameter:Parameter", { tags: deep as WireObject });
        const r = analyzeInputs(s, defaults, ctx());
        assert.strictEqual(r.findings.length, 1);
        assert.strictEqual(r.findings[0].level, "advisory");
        assert.match(r.findings[0].message, /nested too deeply/);
        const shallow = analyzeInputs(subject("aws:ssm/parameter:Parameter", { tags: { n: { password: "reached-pw-12" } } }), defaults, ctx());
        assert.deepStrictEqual(shallow.findings, []);
        assert.strictEqual(shallow.candidates.length, 1);
    });

    it("is unaffected by secret wrapping: the same tree wrapped in secrets gives the same findings", () => {
        const key = fake.anthropic();
        const plain = subject("aws:lambda/function:Function", { environment: { variables: { ANTHROPIC_API_KEY: key } } });
        const wrapped = subject("aws:lambda/function:Function", { environment: secret({ variables: secret({ ANTHROPIC_API_KEY: secret(key) }) }) as WireObject });
        const a = run(plain).confirmed.map((f) => f.message);
        const b = run(wrapped).confirmed.map((f) => f.message);
        assert.strictEqual(a.length, 1);
        assert.deepStrictEqual(a, b);
    });

    it("reports any literal in a secret store's value field (secret-sink), naming the resource, path and detector", () => {
        for (const value of ["myvalue", "Sup3rS3cret!2024"]) {
            const s = subject("azure-native:keyvault:Secret", { vaultName: "kv-ml", secretName: "db", properties: { value } }, "db-secret");
            const r = run(s, { deps: { vaultName: ["urn:pulumi:dev::ml::azure-native:keyvault:Vault::kv"] } });
            assert.strictEqual(r.confirmed.length, 1);
            assert.match(r.confirmed[0].message, /azure-native:keyvault:Secret 'db-secret' property properties\.value holds a hard-coded secret \(detector: secret-sink, literal in a secret store's value field\)/);
            assert.ok(!r.confirmed[0].message.includes(value.slice(0, 5)), "redacted");
        }
        // Disabling the detector by its id is accepted (no config problem) and turns it off.
        const s = subject("azure-native:keyvault:Secret", { properties: { value: "myvalue" } });
        const off = run(s, { config: { ...defaults, disabledDetectors: ["secret-sink"] } });
        assert.deepStrictEqual(off.all, []);
    });

    it("reports a secret-named {name, value} entry inside an ECS containerDefinitions JSON string", () => {
        const defs = JSON.stringify([{ name: "app", environment: [{ name: "OPENAI_API_KEY", value: "myvalue" }, { name: "STAGE", value: "prod" }] }]);
        const r = run(subject("aws:ecs/taskDefinition:TaskDefinition", { family: "ml", containerDefinitions: defs }, "td"));
        assert.strictEqual(r.confirmed.length, 1);
        assert.match(r.confirmed[0].message, /property containerDefinitions\{json\}\[0\]\.environment\[0\]\.value .*detector: secret-key-name/);
    });

    it("never reports enumeration words at secret-looking keys, `[secret]` or masks (issue 10 §2)", () => {
        const subjects = [
            subject("aws:apigateway/method:Method", { authorization: "NONE", httpMethod: "GET" }, "m1"),
            subject("aws:apigateway/method:Method", { authorization: "COGNITO_USER_POOLS", authorizerId: UNKNOWN_STRING }, "m2"),
            subject("aws:apigatewayv2/route:Route", { authorizationType: "AWS_IAM" }, "r"),
            subject("example:index:Hook", { authType: "CUSTOM", tokenType: "Bearer" }, "h"),
            subject("pulumi:providers:vault", { token: "[secret]" }, "vault"),
            subject("aws:rds/instance:Instance", { password: "********" }, "db"),
            subject("azure-native:keyvault:Secret", { properties: { value: "[secret]" } }, "kv"),
        ];
        for (const s of subjects) assert.deepStrictEqual(run(s).all, [], s.name);
    });
});
