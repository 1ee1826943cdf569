import * as assert from "assert";
import { checkCloudFields, CloudFieldsConfig, matchPattern, parsePattern } from "../../../policies/rules/no-secrets-in-plaintext-cloud-fields";
import { ResourceSubject, RuleContext } from "../../../policies/lib/rule";
import { Wire, WireObject } from "../../../policies/lib/wire";
import { assertCase, Case, messages, neverThrows, secret, subject, UNKNOWN_ARRAY, UNKNOWN_OBJECT, UNKNOWN_STRING, verdict } from "../../helpers/rule-cases";
import { assertNoLeak, fake } from "../../helpers/secrets";

const LAMBDA = "aws:lambda/function:Function";
const ECS = "aws:ecs/taskDefinition:TaskDefinition";
const LT = "aws:ec2/launchTemplate:LaunchTemplate";
const RUN2 = "gcp:cloudrunv2/service:Service";
const WEBAPP = "azure-native:web:WebApp";
const APP = "azure-native:app:ContainerApp";
const ACI = "azure-native:containerinstance:ContainerGroup";

const NONE: RuleContext = { stackConfig: { available: false, values: new Map(), secretKeys: new Set() }, phase: "analyze" };

function withConfig(values: Record<string, string>, secretKeys: string[]): RuleContext {
    return { stackConfig: { available: true, values: new Map(Object.entries(values)), secretKeys: new Set(secretKeys) }, phase: "analyze" };
}

const NO_ALLOW: CloudFieldsConfig = { allowlist: [] };

function run(type: string, props: WireObject, ctx = NONE, config = NO_ALLOW) {
    return checkCloudFields(subject(type, props, "res"), config, ctx);
}

const env = (variables: Record<string, Wire>): WireObject => ({ environment: { variables } });
const b64 = (s: string) => Buffer.from(s).toString("base64");
const SM_ARN = "arn:aws:secretsmanager:us-west-2:123456789012:secret:ml/openai-key-AbCdEf";

describe("no-secrets-in-plaintext-cloud-fields rule", () => {
    const key = fake.openai();
    const hidden = "not-a-format-but-secret-1234";
    const cases: (Case & { ctx?: RuleContext })[] = [
        { name: "Lambda env: a Pulumi secret", type: LAMBDA, props: env({ OPENAI_API_KEY: secret(hidden) }), expect: "fail", count: 1,
            match: [/property environment\.variables\.OPENAI_API_KEY is a Pulumi secret, but this field \(Lambda function environment variables\)/, /OPENAI_API_KEY_SECRET_ARN: secret\.arn/], never: [hidden] },
        { name: "Lambda env: a secret unknown (preview)", type: LAMBDA, props: env({ OPENAI_API_KEY: secret(UNKNOWN_STRING) }), expect: "fail",
            match: [/OPENAI_API_KEY is a Pulumi secret \(unknown until the deployment\)/] },
        { name: "Lambda env: a whole secret unknown map", type: LAMBDA, props: { environment: { variables: secret(UNKNOWN_OBJECT) } }, expect: "fail",
            match: [/property environment\.variables is a Pulumi secret \(unknown/] },
        { name: "Lambda env: an unknown that is not secret is not reported", type: LAMBDA, props: env({ SECRET_ARN: UNKNOWN_STRING }), expect: "pass" },
        { name: "Lambda env: unknown map that is not secret", type: LAMBDA, props: { environment: UNKNOWN_OBJECT }, expect: "pass" },
        { name: "Lambda env: a Secrets Manager ARN", type: LAMBDA, props: env({ OPENAI_API_KEY_SECRET_ARN: SM_ARN, MODEL: "gpt-4o" }), expect: "pass" },
        { name: "Lambda env: a secret-wrapped reference is still a reference", type: LAMBDA, props: env({ KEY_ARN: secret(SM_ARN) }), expect: "pass" },
        { name: "Lambda env: an SSM parameter name", type: LAMBDA, props: env({ OPENAI_KEY_PARAM: "/ml/openai-api-key" }), expect: "pass" },
        { name: "Lambda env: a credential literal", type: LAMBDA, props: env({ OPENAI_API_KEY: key }), expect: "fail",
            match: [/matches a credential format \(openai-api-key\)/], never: [key] },
        { name: "Lambda env: a plain literal is not this policy's business", type: LAMBDA, props: env({ MODEL: "gpt-4o", LOG_LEVEL: "info" }), expect: "pass" },
        { name: "Lambda env: empty secret", type: LAMBDA, props: env({ X: secret("") }), expect: "pass" },
        { name: "Lambda: secret outside the table's fields", type: LAMBDA, props: { description: secret(hidden), environment: { variables: { A: "b" } } }, expect: "pass" },
        { name: "Lambda: a whole secret environment with nothing to single out is reported once", type: LAMBDA, props: { environment: secret({ variables: { A: hidden, B: "x" } }) },
            expect: "fail", count: 1, match: [/property environment is a Pulumi secret as a whole, so one of its `variables\.\*` entries holds a secret/], never: [hidden] },
        { name: "azure-native: a whole secret template (SDK defaults applied), the entry singled out by its format", type: APP,
            props: { template: secret({ containers: [{ env: [{ name: "MODEL", value: "m" }, { name: "OPENAI_API_KEY", value: key }] }] }) },
            expect: "fail", count: 1, match: [/template\.containers\[0\]\.env\[1\]\.value \("OPENAI_API_KEY"\) matches a credential format/] },
        { name: "azure-native: the secret singled out in containers, the init container's plain entries do not make the template a finding", type: APP,
            props: { template: secret({ containers: [{ env: [{ name: "OPENAI_API_KEY", value: key }] }], initContainers: [{ env: [{ name: "MODE", value: "warmup" }] }] }) },
            expect: "fail", count: 1, match: [/template\.containers\[0\]\.env\[0\]\.value/] },
        { name: "azure-native: a whole secret template holding only a secretRef", type: APP,
            props: { template: secret({ containers: [{ env: [{ name: "K", secretRef: "k" }] }] }) }, expect: "pass" },
        { name: "azure-native: a secret-unknown template (preview)", type: APP, props: { template: secret(UNKNOWN_OBJECT) }, expect: "fail",
            match: [/property template is a Pulumi secret \(unknown/] },
        { name: "ECS: environment entry matching a format in a plain document", type: ECS,
            props: { containerDefinitions: JSON.stringify([{ name: "api", environment: [{ name: "MODEL", value: "m" }, { name: "OPENAI_API_KEY", value: key }] }]) },
            expect: "fail", count: 1, match: [/containerDefinitions\{json\}\[0\]\.environment\[1\]\.value \("OPENAI_API_KEY"\) matches a credential format/], never: [key] },
        { name: "ECS: a secret document with nothing to single out is reported once as a whole", type: ECS,
            props: { containerDefinitions: secret(JSON.stringify([{ name: "api", environment: [{ name: "MODEL", value: "m" }, { name: "TOKEN", value: hidden }] }])) },
            expect: "fail", count: 1, match: [/property containerDefinitions is a Pulumi secret as a whole, so one of its `\[\]\.environment\[\]\.value` entries holds a secret/] },
        { name: "ECS: a secret document with only references and `secrets[].valueFrom`", type: ECS,
            props: { containerDefinitions: secret(JSON.stringify([{ name: "api", environment: [{ name: "BUCKET_ARN", value: "arn:aws:s3:::models" }], secrets: [{ name: "K", valueFrom: SM_ARN }] }])) },
            expect: "pass" },
        { name: "ECS: a secret-unknown document (preview)", type: ECS, props: { containerDefinitions: secret(UNKNOWN_STRING) }, expect: "fail",
            match: [/property containerDefinitions is a Pulumi secret \(unknown/] },
        { name: "ECS: an unknown document that is not secret", type: ECS, props: { containerDefinitions: UNKNOWN_STRING }, expect: "pass" },
        { name: "ECS: not JSON", type: ECS, props: { containerDefinitions: "[not json" }, expect: "pass" },
        { name: "launch template: base64 user data holding a credential", type: LT, props: { userData: b64(`#!/bin/bash\nexport OPENAI_API_KEY=${key}\n`) },
            expect: "fail", match: [/property userData matches a credential format/], never: [key, b64(key).slice(8, 40)] },
        { name: "launch template: base64 user data fetching the secret", type: LT, props: { userData: b64("#!/bin/bash\naws ssm get-parameter --name /ml/k\n") }, expect: "pass" },
        { name: "Cloud Run v2: secretKeyRef is not a value", type: RUN2,
            props: { template: { containers: [{ envs: [{ name: "K", valueSource: { secretKeyRef: { secret: secret("openai-key"), version: "latest" } } }] }] } }, expect: "pass" },
        { name: "Cloud Run v2: a Secret Manager version path", type: RUN2,
            props: { template: { containers: [{ envs: [{ name: "K", value: "projects/p/secrets/openai-key/versions/latest" }] }] } }, expect: "pass" },
        { name: "Cloud Run v2: unknown containers list", type: RUN2, props: { template: { containers: UNKNOWN_ARRAY } }, expect: "pass" },
        { name: "App Service: a Key Vault reference", type: WEBAPP,
            props: { siteConfig: { appSettings: [{ name: "K", value: secret("@Microsoft.KeyVault(SecretUri=https://ml-kv.vault.azure.net/secrets/k/)") }] } }, expect: "pass" },
        { name: "App Service: a connection string with a password", type: WEBAPP,
            props: { siteConfig: { connectionStrings: [{ name: "db", connectionString: secret("Server=tcp:db;Password=Hunter2-Long-Enough;") }] } }, expect: "fail",
            match: [/siteConfig\.connectionStrings\[0\]\.connectionString \("db"\) is a Pulumi secret and matches a credential format/] },
        { name: "Container Apps: secretRef and configuration.secrets", type: APP,
            props: { configuration: { secrets: [{ name: "k", value: secret(hidden) }] }, template: { containers: [{ env: [{ name: "K", secretRef: "k" }] }] } }, expect: "pass" },
        { name: "Container Instances: secureValue is the right place", type: ACI,
            props: { containers: [{ environmentVariables: [{ name: "K", secureValue: secret(hidden) }] }] }, expect: "pass" },
        { name: "Container Instances: value is not", type: ACI,
            props: { containers: [{ environmentVariables: [{ name: "K", value: secret(hidden) }] }] }, expect: "fail", match: [/use `secureValue`/] },
        { name: "tags on any AWS resource", type: "aws:s3/bucket:Bucket", props: { tags: { owner: "ml", token: secret(hidden) } }, expect: "fail", match: [/property tags\.token is a Pulumi secret/] },
        { name: "labels on any Google Cloud resource", type: "gcp:storage/bucket:Bucket", props: { labels: { token: secret(UNKNOWN_STRING) } }, expect: "fail" },
        { name: "aws-native is not the aws provider", type: "aws-native:s3:Bucket", props: { tags: { token: secret(hidden) } }, expect: "na", match: [/has no field that the cloud shows in plaintext/] },
        { name: "a Vault resource", type: "vault:kv/secretV2:SecretV2", props: { dataJson: secret(hidden) }, expect: "na" },
        { name: "the root stack", type: "pulumi:pulumi:Stack", props: {}, expect: "na" },
    ];
    describe("cases", () => {
        for (const c of cases) {
            it(`${c.expect}: ${c.name}`, () => assertCase(c, run(c.type!, c.props, c.ctx)));
        }
    });

    describe("secret config provenance", () => {
        const cfgValue = `cfg-${fake.password()}`;
        const ctx = withConfig({ "ml:openaiKey": cfgValue, "ml:model": "gpt-4o-mini-2024" }, ["ml:openaiKey"]);

        it("a plain value holding a secret config value is flagged, naming the key (not the value)", () => {
            const o = run(LAMBDA, env({ OPENAI_API_KEY: `Bearer ${cfgValue}` }), ctx);
            assert.deepStrictEqual(messages(o).length, 1);
            assert.match(messages(o)[0], /holds secret config 'ml:openaiKey'/);
            assertNoLeak(messages(o)[0], cfgValue);
        });

        it("plaintext config is not secret config", () => {
            assert.strictEqual(verdict(run(LAMBDA, env({ MODEL: "gpt-4o-mini-2024" }), ctx)), "pass");
        });

        it("singles out the entry of a secret JSON document that holds the secret config value", () => {
            const doc = JSON.stringify([{ name: "api", environment: [{ name: "MODEL", value: "gpt-4o-mini-2024" }, { name: "OPENAI_API_KEY", value: cfgValue }] }]);
            const ms = messages(run(ECS, { containerDefinitions: secret(doc) }, ctx));
            assert.strictEqual(ms.length, 1, JSON.stringify(ms));
            assert.match(ms[0], /containerDefinitions\{json\}\[0\]\.environment\[1\]\.value \("OPENAI_API_KEY"\) holds secret config 'ml:openaiKey'/);
        });

        it("the same value under `secrets` with `valueFrom` is not flagged", () => {
            const doc = JSON.stringify([{ name: "api", environment: [{ name: "MODEL", value: "gpt-4o-mini-2024" }], secrets: [{ name: "OPENAI_API_KEY", valueFrom: SM_ARN }] }]);
            assert.strictEqual(verdict(run(ECS, { containerDefinitions: doc }, ctx)), "pass");
        });

        it("no config available (policy publish): provenance is off, wrappers still count", () => {
            assert.strictEqual(verdict(run(LAMBDA, env({ OPENAI_API_KEY: cfgValue }), NONE)), "pass");
            assert.strictEqual(verdict(run(LAMBDA, env({ OPENAI_API_KEY: secret(cfgValue) }), NONE)), "fail");
        });
    });

    describe("allowlist", () => {
        const props = { tags: { token: secret("t-1234567890"), owner: secret("ml-team-owner") } };
        it("by URN and path glob", () => {
            const o = run("aws:s3/bucket:Bucket", props, NONE, { allowlist: [{ urn: "*::aws:s3/bucket:Bucket::res", path: "tags.own*", reason: "team name, not a secret" }] });
            assert.deepStrictEqual(messages(o).map((m) => /property (\S+)/.exec(m)![1]), ["tags.token"]);
        });
        it("another resource's entry does not apply", () => {
            const o = run("aws:s3/bucket:Bucket", props, NONE, { allowlist: [{ urn: "*::other", path: "tags.*", reason: "x" }] });
            assert.strictEqual(messages(o).length, 2);
        });
    });

    describe("matchPattern", () => {
        it("names `[].value` entries by their sibling and map entries by their key", () => {
            const hits = matchPattern({ a: [{ name: "N1", value: "v1" }, { name: secret("N2"), value: "v2" }], m: { K: "v3" } } as Wire, parsePattern("a[].value"), "name");
            assert.deepStrictEqual(hits.map((h) => h.kind === "value" && h.name), ["N1", "N2"]);
            const byKey = matchPattern({ m: { K: "v3" } } as Wire, parsePattern("m.*"));
            assert.deepStrictEqual(byKey.map((h) => h.kind === "value" && h.name), ["K"]);
        });

        it("does not read Object.prototype members", () => {
            assert.deepStrictEqual(matchPattern({} as Wire, parsePattern("constructor.name")), []);
        });
    });

    const extra = (s: ResourceSubject) => {
        for (const m of messages(checkCloudFields(s, NO_ALLOW, NONE))) assert.ok(!m.includes(hidden));
    };
    neverThrows(LAMBDA, ["environment", "variables", "tags", "A"], (s) => checkCloudFields(s, NO_ALLOW, NONE), extra);
    neverThrows(ECS, ["containerDefinitions", "tags"], (s) => checkCloudFields(s, NO_ALLOW, NONE));
    neverThrows(WEBAPP, ["siteConfig", "appSettings", "value", "name", "tags"], (s) => checkCloudFields(s, NO_ALLOW, NONE));
});
