// Redaction audit: a fake credential of every detector type (generated now, never committed) planted in a program
// that violates every policy: hard-coded in inputs, in provider configuration, in JSON strings, in plaintext config,
// in plaintext exports. Every output is searched for any 5-character slice of every planted secret: each
// diagnostic, the checker's text, JSON, SARIF and JUnit output, and its stderr (which carries the pack's stderr).
// The audit also checks the secrets WERE detected, so it fails when detection silently breaks.
import * as assert from "assert";
import * as path from "path";
import { FORMAT_DETECTORS } from "../../policies/detection";
import { POLICY_MODULES } from "../../policies/registry";
import { repoRoot, reportFromJson, runCheck, RunCheckResult } from "../helpers/check";
import { leakOffset, plantedEnv } from "../helpers/secrets";
import { cryptoRand, FORMAT_FAKES, keyNameFake, Planted } from "./fakes";

const program = path.join(repoRoot(), "test", "fixtures", "hardening", "redaction-audit");
const FORMATS = ["json", "text", "sarif", "junit"] as const;
const MODES = ["preview", "update"] as const;

export interface AuditSecrets {
    /** Detector id (or a role such as "plaintext-config") -> the planted value and its sensitive part. */
    byName: Map<string, Planted>;
    env: Record<string, string>;
    config: Record<string, string>;
    secrets: Record<string, string>;
}

export function auditSecrets(): AuditSecrets {
    const byName = new Map<string, Planted>();
    const planted: Record<string, string> = {};
    for (const d of FORMAT_DETECTORS) {
        const p = FORMAT_FAKES[d.id](cryptoRand);
        // A service-account key that is a whole JSON string is reported as the private key inside it; framed in text,
        // as in an env file, it is the service-account detector's.
        const value = d.id === "gcp-service-account-key" ? `GOOGLE_CREDENTIALS=${p.value}` : p.value;
        byName.set(d.id, { ...p, value });
        planted[d.id] = value;
    }
    const awsSecret = FORMAT_FAKES["aws-secret-access-key"](cryptoRand).secret;
    byName.set("provider-aws-secret-key", { detector: "aws-secret-access-key", value: awsSecret, secret: awsSecret, key: "secretKey" });
    const keyName = keyNameFake(cryptoRand);
    byName.set("secret-key-name", keyName);
    const hf = FORMAT_FAKES["huggingface-token"](cryptoRand);
    byName.set("plaintext-config", hf);
    const api = FORMAT_FAKES["openai-api-key"](cryptoRand);
    byName.set("secret-config-exported", api);
    return {
        byName,
        env: plantedEnv({ formats: JSON.stringify(planted), awsSecret, keyName: keyName.value }),
        config: { hfPlain: hf.value },
        secrets: { apiKey: api.value },
    };
}

describe("hardening: redaction audit (a fake of every detector type, every output)", function () {
    this.timeout(600000);
    const s = auditSecrets();
    const runs = new Map<string, RunCheckResult>();

    before(async () => {
        const jobs: [string, () => Promise<RunCheckResult>][] = [];
        for (const mode of MODES) {
            for (const format of FORMATS) {
                jobs.push([`${mode}/${format}`, () => runCheck(program, {
                    mode, env: s.env, config: s.config, secrets: s.secrets, timeoutMs: 240000,
                    extraArgs: format === "json" ? [] : ["--format", format],
                })]);
            }
        }
        // Two at a time: the machine has two cores.
        for (let i = 0; i < jobs.length; i += 2) {
            const pair = jobs.slice(i, i + 2);
            const results = await Promise.all(pair.map(([, f]) => f()));
            pair.forEach(([name], j) => runs.set(name, results[j]));
        }
    });

    it("every run produced its report and failed on mandatory violations (exit 1)", () => {
        for (const [name, r] of runs) {
            assert.strictEqual(r.exitCode, 1, `${name}: exit ${r.exitCode}; stderr tail: ${r.stderr.slice(-1000).replace(/[A-Za-z0-9+/_-]{12,}/g, "<elided>")}`);
            assert.ok(r.stdout.length > 200, `${name}: no output`);
        }
    });

    for (const name of [...s.byName.keys()]) {
        it(`${name}: no 5-character slice in any diagnostic, text, JSON, SARIF or JUnit output, or stderr`, () => {
            const p = s.byName.get(name)!;
            for (const [run, r] of runs) {
                for (const [stream, text] of [["stdout", r.stdout], ["stderr", r.stderr]] as const) {
                    const at = leakOffset(text, p.secret);
                    assert.strictEqual(at, -1, `${run} ${stream} holds a 5-character slice of the planted ${name} secret (offset ${at})`);
                }
            }
        });
    }

    describe("the planted secrets were detected (so the audit can fail when detection breaks)", () => {
        const diagnostics = () => {
            const r = runs.get("update/json")!;
            assert.ok(r.stdout.trim().startsWith("{"), "no JSON report");
            return reportFromJson(r.stdout).diagnostics;
        };

        for (const d of FORMAT_DETECTORS) {
            it(`${d.id}: hard-coded in an input, in a JSON string, and exported in plaintext`, () => {
                const ds = diagnostics();
                const hard = ds.filter((x) => x.policyName === "no-hardcoded-secrets" && x.message.includes(`(detector: ${d.id},`));
                assert.ok(hard.some((x) => x.urn!.endsWith(`aws:ssm/parameter:Parameter::input-${d.id}`)), "not reported in an input");
                assert.ok(hard.some((x) => x.urn!.endsWith(`vault:kv/secretV2:SecretV2::json-${d.id}`) && x.message.includes("dataJson{json}.material")), "not reported in a JSON string");
                if (d.id === "aws-access-key-id") {
                    // The identifier half of a key pair, exported on its own: advisory.
                    assert.ok(ds.some((x) => x.policyName === "no-plaintext-secret-exports" && x.enforcementLevel === "advisory" &&
                        x.message.includes(`stack export 'plaintext' at ${d.id} is an AWS access key id in plaintext`)), "not reported in the exports");
                } else {
                    assert.ok(ds.some((x) => x.policyName === "no-plaintext-secret-exports" && x.enforcementLevel === "mandatory" &&
                        x.message.includes(`stack export 'plaintext' at ${d.id} is not a Pulumi secret, but it matches a credential format (`) &&
                        new RegExp(`credential format \\([^)]*\\b${d.id}\\b`).test(x.message)), "not reported in the exports");
                }
                for (const x of hard) assert.strictEqual(x.enforcementLevel, "mandatory");
            });
        }

        it("provider configuration: the Vault token, the static AWS keys and the placeholder token", () => {
            const ds = diagnostics().filter((x) => x.policyName === "no-hardcoded-secrets");
            const on = (suffix: string) => ds.filter((x) => x.urn!.endsWith(suffix)).map((x) => x.message);
            assert.ok(on("pulumi:providers:vault::vault-plain-http").some((m) => m.includes("property token")));
            assert.ok(on("pulumi:providers:vault::vault-placeholder").some((m) => m.includes("detector: placeholder")));
            const awsProv = on("pulumi:providers:aws::aws-static");
            assert.ok(awsProv.some((m) => m.includes("property accessKey")) && awsProv.some((m) => m.includes("property secretKey")), JSON.stringify(awsProv.map((m) => m.slice(0, 80))));
        });

        it("secret-key-name literal, credential from plaintext config, secret config exported in plaintext", () => {
            const ds = diagnostics();
            assert.ok(ds.some((x) => x.urn!.endsWith("aws:s3/bucket:Bucket::tagged") && x.message.includes("detector: secret-key-name")));
            // The credential from plaintext config: no-plaintext-secret-config's, on the root stack and where it is used.
            const fromConfig = ds.filter((x) => x.message.includes("stack config 'hfPlain'"));
            assert.deepStrictEqual(fromConfig.map((x) => `${x.policyName} ${x.urn!.split("::").pop()}`).sort(), [
                "no-plaintext-secret-config from-plaintext-config",
                "no-plaintext-secret-config redaction-audit-dev",
            ]);
            assert.ok(!ds.some((x) => x.policyName === "no-hardcoded-secrets" && x.urn!.endsWith("::from-plaintext-config")), "not reported twice");
            assert.ok(ds.some((x) => x.policyName === "no-plaintext-secret-exports" && x.message.includes("stack export 'apiKey'") && x.message.includes("secret config")));
            assert.ok(ds.some((x) => x.policyName === "no-plaintext-secret-exports" && x.message.includes("stack export 'dbPassword'")));
        });

        it("every policy of the pack reported something, in both modes", () => {
            for (const mode of MODES) {
                const ds = reportFromJson(runs.get(`${mode}/json`)!.stdout).diagnostics;
                const fired = new Set(ds.map((x) => x.policyName));
                const silent = POLICY_MODULES.map((m) => m.meta.name).filter((n) => !fired.has(n));
                assert.deepStrictEqual(silent, [], `${mode}: policies with no diagnostic`);
            }
        });
    });
});
