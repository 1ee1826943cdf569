// The nested secret-sink table (policies/detection/sinks.ts): every row's own true and false example, in the spirit
// of gitleaks' per-rule examples, plus the `{name, value}` pair mechanism (inside JSON held in strings too).
import * as assert from "assert";
import { Candidate, scanProps } from "../../../policies/detection/scan";
import { compilePath, pairName, SECRET_SINKS } from "../../../policies/detection/sinks";
import { formatPath, SECRET_SIG, SIG_KEY, UNKNOWN_BOOL, UNKNOWN_STRING, Wire } from "../../../policies/lib/wire";
import { fake } from "../../helpers/secrets";

const at = (cs: Candidate[]) => cs.map((c) => `${c.detector} ${formatPath(c.path)}`).sort();
const secret = (value: Wire): Wire => ({ [SIG_KEY]: SECRET_SIG, value });

describe("detection/sinks: the nested secret-sink table", () => {
    it("covers the four providers, both Azure SDKs, with well-formed type tokens and paths", () => {
        const prefixes = new Set(SECRET_SINKS.map((r) => r.type.split(":")[0]));
        assert.deepStrictEqual([...prefixes].sort(), ["aws", "azure", "azure-native", "gcp", "vault"]);
        for (const r of SECRET_SINKS) {
            assert.match(r.type, /^[a-z-]+:[A-Za-z0-9/]+:[A-Z][A-Za-z0-9]+$/, r.type);
            assert.doesNotThrow(() => compilePath(r.path), r.path);
        }
        const keys = SECRET_SINKS.map((r) => `${r.type} ${r.path}`);
        assert.strictEqual(new Set(keys).size, keys.length, "no duplicate rows");
    });

    it("rejects malformed paths", () => {
        for (const p of ["", "a..b", "a[0]", "a.{x}", ".a b"]) assert.throws(() => compilePath(p), p);
    });

    for (const row of SECRET_SINKS) {
        describe(`${row.type} ${row.path}`, () => {
            it("true example: reported as secret-sink at its path", () => {
                const got = at(scanProps(row.type, row.examples.hit.props));
                assert.ok(got.includes(`secret-sink ${row.examples.hit.path}`), got.join("; "));
            });
            it("false example: no key-rule finding at all", () => {
                const got = scanProps(row.type, row.examples.miss.props).filter((c) => c.kind === "key");
                assert.deepStrictEqual(at(got), []);
            });
            it("control: the same true example on a type without the row is not a sink", () => {
                const got = at(scanProps("example:index:Unrelated", row.examples.hit.props));
                assert.ok(!got.some((g) => g.startsWith("secret-sink")), got.join("; "));
            });
        });
    }

    it("flags a Key Vault secret holding a plain word or a memorable password (azure-native and classic)", () => {
        for (const value of ["myvalue", "Sup3rS3cret!2024"]) {
            assert.deepStrictEqual(at(scanProps("azure-native:keyvault:Secret", { vaultName: "kv", properties: { value } })), ["secret-sink properties.value"]);
            assert.deepStrictEqual(at(scanProps("azure:keyvault/secret:Secret", { name: "db", value })), ["secret-sink value"]);
        }
    });

    it("never flags references, unknowns, `[secret]` or masks at a sink; placeholders stay `placeholder`", () => {
        const kv = (value: Wire) => at(scanProps("azure-native:keyvault:Secret", { properties: { value } }));
        assert.deepStrictEqual(kv("@Microsoft.KeyVault(SecretUri=https://ml-kv.vault.azure.net/secrets/db/)"), []);
        assert.deepStrictEqual(kv("arn:aws:secretsmanager:us-east-1:123456789012:secret:ml-db-AbCdEf"), []);
        assert.deepStrictEqual(kv(UNKNOWN_STRING), []);
        assert.deepStrictEqual(kv("[secret]"), []);
        assert.deepStrictEqual(kv("********"), []);
        assert.deepStrictEqual(kv("changeme"), ["placeholder properties.value"]);
        assert.deepStrictEqual(kv(secret("myvalue")), ["secret-sink properties.value"]);
    });

    it("a condition that is unknown (preview) does not make a sink; a known false one removes the schema-secret rule", () => {
        assert.deepStrictEqual(at(scanProps("azure-native:apimanagement:NamedValue", { secret: UNKNOWN_BOOL, value: "myvalue" })), []);
        assert.deepStrictEqual(at(scanProps("azure-native:apimanagement:NamedValue", { secret: true, value: "myvalue" })), ["secret-sink value"]);
        // SSM: the schema marks `value` secret whatever the type; a String parameter's value is declared not a secret.
        assert.deepStrictEqual(at(scanProps("aws:ssm/parameter:Parameter", { type: "String", value: "us-east-1" })), []);
        assert.deepStrictEqual(at(scanProps("aws:ssm/parameter:Parameter", { type: UNKNOWN_STRING, value: "us-east-1" })), ["schema-secret-input value"]);
        assert.deepStrictEqual(at(scanProps("aws:ssm/parameter:Parameter", { type: "SecureString", value: "us-east-1" })), ["secret-sink value"]);
        // A credential format is still found in a String parameter.
        const key = fake.openai();
        assert.deepStrictEqual(at(scanProps("aws:ssm/parameter:Parameter", { type: "String", value: key })), ["openai-api-key value"]);
    });

    it("inside a JSON document at a sink: value-named leaves and secret-looking leaves are sinks; descriptors and identifiers are not", () => {
        const doc = JSON.stringify({
            engine: "postgres", host: "db.internal", port: "5432", username: "mladmin", dbname: "features", repo: "ml-platform", hosts: ["a.internal"],
            password: "Sup3rS3cret!2024", pepper: "Xq7!rT2#pL", value: "myvalue", nested: { data: "myvalue" }, login: "Adm!n-2024",
        });
        assert.deepStrictEqual(at(scanProps("aws:secretsmanager/secretVersion:SecretVersion", { secretString: doc })), [
            "secret-sink secretString{json}.nested.data",
            "secret-sink secretString{json}.password",
            "secret-sink secretString{json}.pepper",
            "secret-sink secretString{json}.value",
        ]);
        // A secret-bearing key with an identifier-like value is still a literal at a secret-bearing key.
        assert.deepStrictEqual(at(scanProps("vault:kv/secretV2:SecretV2", { dataJson: JSON.stringify({ repo: "ml-platform", api_token: "hunter2" }) })), ["secret-key-name dataJson{json}.api_token"]);
    });

    it("can be disabled: `secret-sink` off leaves the other rules as they were", () => {
        const disabled = new Set(["secret-sink"]);
        assert.deepStrictEqual(at(scanProps("azure-native:keyvault:Secret", { properties: { value: "myvalue" } }, { disabled })), []);
        assert.deepStrictEqual(at(scanProps("aws:ssm/parameter:Parameter", { type: "SecureString", value: "myvalue" }, { disabled })), ["schema-secret-input value"]);
    });
});

describe("detection/sinks: {name, value} pairs", () => {
    it("pairName reads name/Name/key/Key, and says null for CodeBuild-style references", () => {
        assert.strictEqual(pairName({ name: "OPENAI_API_KEY", value: "x" }, "value"), "OPENAI_API_KEY");
        assert.strictEqual(pairName({ Name: "DB_PASSWORD", Value: "x" }, "Value"), "DB_PASSWORD");
        assert.strictEqual(pairName({ Key: "ApiKey", Value: "x" }, "Value"), "ApiKey");
        assert.strictEqual(pairName({ name: "API_KEY", type: "PARAMETER_STORE", value: "/ml/api-key" }, "value"), null);
        assert.strictEqual(pairName({ name: "API_KEY", type: "SECRETS_MANAGER", value: "ml/api:key" }, "value"), null);
        assert.strictEqual(pairName({ value: "x" }, "value"), undefined);
        assert.strictEqual(pairName({ name: "X", secureValue: "x" }, "secureValue"), undefined);
        assert.strictEqual(pairName(["name", "value"], "value"), undefined);
    });

    it("the name stands for the key: secret-bearing names are flagged, others are not (arrays of pairs)", () => {
        const env = [
            { name: "OPENAI_API_KEY", value: "myvalue" }, { name: "DB_PASSWORD", value: "hunter22" },
            { name: "DB_CONNECTION_STRING", value: "Server=db;Database=ml" }, { name: "ConnectionStrings__Default", value: "Server=db;Database=ml" },
            { name: "REGION", value: "us-east-1" }, { name: "MODEL_NAME", value: "llama" }, { name: "AUTH_TYPE", value: "oauth" },
        ];
        // Azure App Service siteConfig.appSettings, Cloud Run envs, Container Apps env: the same mechanism.
        assert.deepStrictEqual(at(scanProps("azure-native:web:WebApp", { siteConfig: { appSettings: env } })), [0, 1, 2, 3].map((i) => `secret-key-name siteConfig.appSettings[${i}].value`));
        assert.deepStrictEqual(at(scanProps("gcp:cloudrunv2/service:Service", { template: { containers: [{ envs: env }] } })), [0, 1, 2, 3].map((i) => `secret-key-name template.containers[0].envs[${i}].value`));
        assert.deepStrictEqual(at(scanProps("azure-native:app:ContainerApp", { template: { containers: [{ env: [{ name: "HF_TOKEN", value: "myvalue" }, { name: "HF_TOKEN2", secretRef: "hf" }] }] } })), ["secret-key-name template.containers[0].env[0].value"]);
    });

    it("works inside JSON held in a string (ECS containerDefinitions), with Name/Value spelling too", () => {
        const defs = JSON.stringify([{
            name: "trainer", image: "ml/trainer:1",
            environment: [{ name: "OPENAI_API_KEY", value: "myvalue" }, { name: "ROLE", value: "trainer" }],
            secrets: [{ name: "HF_TOKEN", valueFrom: "arn:aws:ssm:us-east-1:123456789012:parameter/ml/hf" }],
        }]);
        assert.deepStrictEqual(at(scanProps("aws:ecs/taskDefinition:TaskDefinition", { family: "ml", containerDefinitions: defs })), ["secret-key-name containerDefinitions{json}[0].environment[0].value"]);
        const cp = JSON.stringify([{ Name: "WANDB_API_KEY", Value: "myvalue" }, { Name: "STAGE", Value: "prod" }]);
        assert.deepStrictEqual(at(scanProps("aws:codepipeline/pipeline:Pipeline", { stages: [{ actions: [{ configuration: { EnvironmentVariables: cp } }] }] })), ["secret-key-name stages[0].actions[0].configuration.EnvironmentVariables{json}[0].Value"]);
    });

    it("a pair typed PARAMETER_STORE / SECRETS_MANAGER holds a secret's name, not the secret", () => {
        const vars = [{ name: "API_KEY", type: "PARAMETER_STORE", value: "ml-api-key" }, { name: "DB_PASSWORD", type: "SECRETS_MANAGER", value: "ml/db:password" }, { name: "HF_TOKEN", type: "PLAINTEXT", value: "myvalue" }];
        assert.deepStrictEqual(at(scanProps("aws:codebuild/project:Project", { environment: { environmentVariables: vars } })), ["secret-key-name environment.environmentVariables[2].value"]);
    });

    it("map forms use the key itself: Lambda variables, GCE metadata, app settings maps, Beanstalk-style settings", () => {
        assert.deepStrictEqual(at(scanProps("aws:lambda/function:Function", { environment: { variables: { DB_PASSWORD: "myvalue", STAGE: "prod" } } })), ["secret-key-name environment.variables.DB_PASSWORD"]);
        assert.deepStrictEqual(at(scanProps("gcp:compute/instance:Instance", { metadata: { "api-key": "myvalue", "enable-oslogin": "TRUE" } })), ["secret-key-name metadata.api-key"]);
        assert.deepStrictEqual(at(scanProps("azure-native:web:WebAppApplicationSettings", { properties: { ConnectionStrings__Default: "Server=db;Database=ml", WEBSITE_RUN_FROM_PACKAGE: "1" } })), ["secret-key-name properties.ConnectionStrings__Default"]);
        assert.deepStrictEqual(at(scanProps("aws:elasticbeanstalk/environment:Environment", { settings: [{ namespace: "aws:elasticbeanstalk:application:environment", name: "COHERE_API_KEY", value: "myvalue" }] })), ["secret-key-name settings[0].value"]);
    });

    it("pairs through secret wrappers, and never flags references or unknowns", () => {
        const env = secret([secret({ name: "OPENAI_API_KEY", value: secret("myvalue") }), { name: "DB_PASSWORD", value: UNKNOWN_STRING }, { name: "API_TOKEN", value: "arn:aws:secretsmanager:us-east-1:123456789012:secret:tok" }]);
        assert.deepStrictEqual(at(scanProps("gcp:cloudrun/service:Service", { template: { spec: { containers: [{ envs: env }] } } })), ["secret-key-name template.spec.containers[0].envs[0].value"]);
    });
});
