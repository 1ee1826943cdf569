import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildPolicyConfig, fieldPath, locateJsonError, PolicyConfigError, readPolicyConfigFile } from "../../checker/policy-config";
import { PolicyInfo } from "../../checker/types";
import { assertNoLeak, fake } from "../helpers/secrets";

function policies(): PolicyInfo[] {
    return [
        {
            name: "no-hardcoded-secrets",
            description: "No literal secrets in resource inputs.",
            enforcementLevel: "mandatory",
            severity: "critical",
            configSchema: {
                properties: {
                    allowlist: {
                        type: "array",
                        default: [],
                        items: {
                            type: "object",
                            properties: { urn: { type: "string" }, path: { type: "string" }, reason: { type: "string" } },
                            additionalProperties: false,
                        },
                    },
                    minEntropy: { type: "number", minimum: 0, maximum: 8, default: 3.5 },
                    disabledDetectors: { type: "array", items: { type: "string" }, default: [] },
                    extraPatterns: { type: "array", items: { type: "string" } },
                },
            },
        },
        {
            name: "no-plaintext-secret-exports",
            description: "No plaintext secret stack outputs.",
            enforcementLevel: "advisory",
            severity: "high",
            configSchema: {
                properties: {
                    mode: { type: "string", enum: ["names", "values", "both"], default: "both" },
                    ignoreOutputs: { type: "array", items: { type: "string" }, default: ["publicUrl"] },
                },
            },
        },
        {
            name: "vault-provider-tls",
            description: "Vault provider must use TLS.",
            enforcementLevel: "advisory",
            severity: "medium",
        },
        {
            name: "needs-tenant",
            description: "A policy with a required setting that has no default.",
            enforcementLevel: "advisory",
            configSchema: { properties: { tenant: { type: "string" } }, required: ["tenant"] },
        },
    ];
}

function problemsOf(fn: () => unknown): string {
    try {
        fn();
    } catch (e) {
        assert.ok(e instanceof PolicyConfigError, `expected PolicyConfigError, got ${(e as Error).name}`);
        return (e as Error).message;
    }
    assert.fail("expected a PolicyConfigError");
}

/** Config for the required-setting policy, so tests about other policies are not about it. */
const TENANT = { "needs-tenant": { tenant: "acme" } };

describe("checker/policy-config", () => {
    describe("buildPolicyConfig", () => {
        it("gives every policy its default level and its schema defaults", () => {
            const c = buildPolicyConfig(policies(), { ...TENANT });
            assert.deepStrictEqual(Object.keys(c), ["no-hardcoded-secrets", "no-plaintext-secret-exports", "vault-provider-tls", "needs-tenant"]);
            assert.deepStrictEqual(c["no-hardcoded-secrets"], {
                enforcementLevel: "mandatory",
                properties: { allowlist: [], minEntropy: 3.5, disabledDetectors: [] },
            });
            assert.deepStrictEqual(c["no-plaintext-secret-exports"], {
                enforcementLevel: "advisory",
                properties: { mode: "both", ignoreOutputs: ["publicUrl"] },
            });
            assert.deepStrictEqual(c["vault-provider-tls"], { enforcementLevel: "advisory", properties: {} });
        });

        it("does not share default objects between calls", () => {
            const ps = policies();
            const a = buildPolicyConfig(ps, { ...TENANT });
            (a["no-plaintext-secret-exports"].properties.ignoreOutputs as string[]).push("x");
            const b = buildPolicyConfig(ps, { ...TENANT });
            assert.deepStrictEqual(b["no-plaintext-secret-exports"].properties.ignoreOutputs, ["publicUrl"]);
        });

        it("overlays the file's properties on the defaults (top-level keys replace)", () => {
            const c = buildPolicyConfig(policies(), {
                ...TENANT,
                "no-hardcoded-secrets": { allowlist: [{ urn: "urn:pulumi:dev::p::aws:s3/bucket:Bucket::*", reason: "fixture" }], minEntropy: 4 },
            });
            assert.deepStrictEqual(c["no-hardcoded-secrets"].properties, {
                allowlist: [{ urn: "urn:pulumi:dev::p::aws:s3/bucket:Bucket::*", reason: "fixture" }],
                minEntropy: 4,
                disabledDetectors: [],
            });
            assert.strictEqual(c["no-hardcoded-secrets"].enforcementLevel, "mandatory");
        });

        it("accepts a bare level string for a policy", () => {
            const c = buildPolicyConfig(policies(), { ...TENANT, "vault-provider-tls": "mandatory", "no-hardcoded-secrets": "disabled" });
            assert.strictEqual(c["vault-provider-tls"].enforcementLevel, "mandatory");
            assert.strictEqual(c["no-hardcoded-secrets"].enforcementLevel, "disabled");
            assert.strictEqual(c["no-plaintext-secret-exports"].enforcementLevel, "advisory");
        });

        it("`all` sets every level, a policy's own entry overrides it, and its properties are not per-policy settings", () => {
            const c = buildPolicyConfig(policies(), {
                all: { enforcementLevel: "mandatory", mode: "names" },
                "no-plaintext-secret-exports": { enforcementLevel: "remediate" },
                "needs-tenant": { tenant: "acme" },
            });
            assert.strictEqual(c["no-hardcoded-secrets"].enforcementLevel, "mandatory");
            assert.strictEqual(c["vault-provider-tls"].enforcementLevel, "mandatory");
            assert.strictEqual(c["needs-tenant"].enforcementLevel, "mandatory");
            assert.strictEqual(c["no-plaintext-secret-exports"].enforcementLevel, "remediate");
            assert.strictEqual(c["no-plaintext-secret-exports"].properties.mode, "both");
            assert.strictEqual(buildPolicyConfig(policies(), { ...TENANT, all: "disabled" })["no-hardcoded-secrets"].enforcementLevel, "disabled");
        });

        it("with no file, uses defaults and still checks required settings", () => {
            const msg = problemsOf(() => buildPolicyConfig(policies(), undefined));
            assert.match(msg, /needs-tenant: tenant: is required/);
            const ok = buildPolicyConfig(policies().slice(0, 3), undefined);
            assert.strictEqual(ok["no-hardcoded-secrets"].enforcementLevel, "mandatory");
        });

        it("names unknown policies and lists the known ones", () => {
            const msg = problemsOf(() => buildPolicyConfig(policies(), { "no-hardcoded-secret": "mandatory", other: {} }));
            assert.match(msg, /unknown policies "no-hardcoded-secret", "other"/);
            assert.match(msg, /known policies: needs-tenant, no-hardcoded-secrets, no-plaintext-secret-exports, vault-provider-tls \(or "all"\)/);
        });

        it("reports a type error by policy and field path, every problem at once", () => {
            const msg = problemsOf(() =>
                buildPolicyConfig(policies(), {
                    ...TENANT,
                    "no-hardcoded-secrets": { allowlist: [{ urn: 42 }, { path: "a", colour: "red" }], minEntropy: 9 },
                    "no-plaintext-secret-exports": { mode: "everything" },
                }),
            );
            assert.match(msg, /^invalid policy config \(4 problems\):/);
            assert.match(msg, / {2}- no-hardcoded-secrets: allowlist\[0\]\.urn: must be string/);
            assert.match(msg, / {2}- no-hardcoded-secrets: allowlist\[1\]\.colour: is not a known setting/);
            assert.match(msg, / {2}- no-hardcoded-secrets: minEntropy: must be <= 8/);
            assert.match(msg, / {2}- no-plaintext-secret-exports: mode: must be one of "names", "values", "both"/);
        });

        it("rejects bad enforcement levels, as a string or inside an object", () => {
            const msg = problemsOf(() =>
                buildPolicyConfig(policies(), {
                    ...TENANT,
                    "vault-provider-tls": "warning",
                    "no-hardcoded-secrets": { enforcementLevel: "strict" },
                    all: { enforcementLevel: 3 },
                }),
            );
            assert.match(msg, /vault-provider-tls: enforcementLevel: must be one of "advisory", "mandatory", "remediate", "disabled"/);
            assert.match(msg, /no-hardcoded-secrets: enforcementLevel: must be one of "advisory", "mandatory", "remediate", "disabled"/);
            assert.match(msg, /all: enforcementLevel: must be one of .*, got number/);
            assert.strictEqual((msg.match(/vault-provider-tls/g) ?? []).length, 1);
        });

        it("rejects a file that is not an object, and values that are neither a level nor an object", () => {
            assert.match(problemsOf(() => buildPolicyConfig(policies(), [1, 2])), /must be a JSON object .* got array/);
            assert.match(problemsOf(() => buildPolicyConfig(policies(), "mandatory")), /got string/);
            const msg = problemsOf(() => buildPolicyConfig(policies(), { ...TENANT, "vault-provider-tls": 5, "no-hardcoded-secrets": null }));
            assert.match(msg, /vault-provider-tls: must be an enforcement level string .* or an object, got number/);
            assert.match(msg, /no-hardcoded-secrets: must be an enforcement level string .* or an object, got null/);
        });

        it("never echoes config values in errors", () => {
            const secret = fake.openai();
            const msg = problemsOf(() =>
                buildPolicyConfig(policies(), {
                    ...TENANT,
                    "no-hardcoded-secrets": { allowlist: [{ urn: [secret] }], minEntropy: secret, disabledDetectors: secret },
                    "no-plaintext-secret-exports": { mode: secret, enforcementLevel: secret },
                    "vault-provider-tls": secret,
                }),
            );
            assert.match(msg, /minEntropy: must be number/);
            assertNoLeak(msg, secret);
        });

        it("reports an invalid schema from the pack against the policy", () => {
            const ps = policies();
            ps[2].configSchema = { properties: { x: { type: "no-such-type" } } };
            assert.match(problemsOf(() => buildPolicyConfig(ps, { ...TENANT })), /vault-provider-tls: the pack's config schema for this policy is invalid/);
        });
    });

    describe("readPolicyConfigFile", () => {
        let dir: string;
        before(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-config-"));
        });
        after(() => fs.rmSync(dir, { recursive: true, force: true }));
        const write = (name: string, text: string) => {
            const f = path.join(dir, name);
            fs.writeFileSync(f, text);
            return f;
        };

        it("parses a config file (BOM tolerated) and treats an empty file as no config", () => {
            const f = write("ok.json", '\ufeff{"all": "advisory", "no-hardcoded-secrets": {"minEntropy": 4}}');
            assert.deepStrictEqual(readPolicyConfigFile(f), { all: "advisory", "no-hardcoded-secrets": { minEntropy: 4 } });
            assert.strictEqual(readPolicyConfigFile(write("empty.json", "  \n")), undefined);
        });

        it("says which file is missing", () => {
            const f = path.join(dir, "nope.json");
            assert.throws(() => readPolicyConfigFile(f), (e: Error) => e instanceof PolicyConfigError && e.message === `cannot read policy config file ${f}: no such file`);
            assert.throws(() => readPolicyConfigFile(dir), /it is a directory/);
        });

        it("names the file and the parse position of bad JSON, never its content", () => {
            const secret = fake.huggingFace();
            const f = write("bad.json", `{\n  "no-hardcoded-secrets": {\n    "allowlist": ["${secret}" "x"]\n  }\n}\n`);
            let msg = "";
            assert.throws(() => readPolicyConfigFile(f), (e: Error) => {
                msg = e.message;
                return e instanceof PolicyConfigError;
            });
            const col = `    "allowlist": ["${secret}" `.length + 1;
            assert.strictEqual(
                msg,
                `policy config file ${f} is not valid JSON: expected ',' or ']' after array element at line 3, column ${col} (position ${
                    `{\n  "no-hardcoded-secrets": {\n`.length + col - 1
                })`,
            );
            assertNoLeak(msg, secret);
        });

        it("locates common JSON mistakes", () => {
            assert.deepStrictEqual(locateJsonError('{"a": 1,}'), { offset: 8, problem: "expected a double-quoted property name" });
            assert.deepStrictEqual(locateJsonError('{"a": 1'), { offset: 7, problem: "unexpected end of input, expected ',' or '}'" });
            assert.deepStrictEqual(locateJsonError("{'a': 1}"), { offset: 1, problem: "expected a double-quoted property name" });
            assert.deepStrictEqual(locateJsonError('{"a": tru}'), { offset: 6, problem: "unexpected character, expected a value" });
            assert.deepStrictEqual(locateJsonError('{"a": "x\ny"}'), { offset: 8, problem: "control character in string (must be escaped)" });
            assert.deepStrictEqual(locateJsonError("{} {}"), { offset: 3, problem: "unexpected content after the JSON value" });
            assert.strictEqual(locateJsonError('{"a": 01}').offset, 7);
        });
    });

    it("formats ajv instance paths as field paths", () => {
        assert.strictEqual(fieldPath("/allowlist/0/urn"), "allowlist[0].urn");
        assert.strictEqual(fieldPath(""), "");
        assert.strictEqual(fieldPath("/a~1b/2"), '["a/b"][2]');
        assert.strictEqual(fieldPath("/extraPatterns/3"), "extraPatterns[3]");
        assert.strictEqual(fieldPath("/weird key/x"), '["weird key"].x');
    });
});
