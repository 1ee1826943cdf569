// no-hardcoded-secrets end to end: good and bad programs through the offline checker and the real pack.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { repoRoot, runCheck, RunCheckResult } from "../helpers/check";
import { assertNoLeak, fake, plantedEnv } from "../helpers/secrets";
import { SECRET_SIG, SIG_KEY } from "../../policies/lib/wire";

const dir = path.join(repoRoot(), "test", "fixtures", "policies", "no-hardcoded-secrets");
const MODES = ["preview", "update"] as const;

describe("no-hardcoded-secrets (end to end through the checker)", function () {
    this.timeout(300000);
    // One realistic key: secret config in the good program, hard-coded in the bad one.
    const apiKey = fake.openai();
    const planted = { openai: apiKey, github: fake.githubPat() };
    const hfToken = fake.huggingFace();
    const vaultToken = fake.vaultToken();
    const all = [apiKey, ...Object.values(planted), hfToken, vaultToken];
    const results = new Map<string, RunCheckResult>();

    before(async () => {
        for (const mode of MODES) {
            const [good, bad] = await Promise.all([
                runCheck(path.join(dir, "good"), { mode, secrets: { apiKey, vaultToken } }),
                runCheck(path.join(dir, "bad"), { mode, env: plantedEnv(planted), config: { hfToken } }),
            ]);
            results.set(`good-${mode}`, good);
            results.set(`bad-${mode}`, bad);
        }
    });

    it("the RandomPassword result really is known (secret-wrapped) at Analyze in update mode, and depends on the random resource", async () => {
        // The control for the provenance test below: without this, an unknown value would pass trivially.
        const record = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "mlsg-rec-")), "calls.jsonl");
        const r = await runCheck(path.join(dir, "good"), {
            mode: "update", secrets: { apiKey, vaultToken }, pack: path.join(repoRoot(), "test", "packs", "recorder"), env: { MLSG_RECORD_FILE: record },
        });
        assert.ok(r.exitCode === 0 || r.exitCode === 1, r.stderr.slice(-1500));
        const calls = fs.readFileSync(record, "utf8").trim().split("\n").map((l) => JSON.parse(l));
        const param = (m: string) => calls.find((c) => c.method === m && String(c.urn).endsWith("aws:ssm/parameter:Parameter::db-password"));
        const value = param("analyze").properties.value;
        assert.strictEqual(value[SIG_KEY], SECRET_SIG);
        assert.strictEqual(typeof value.value, "string");
        assert.ok(value.value.length >= 32 && !value.value.startsWith("04da6b54"), "a known generated password");
        const stackCall = calls.find((c) => c.method === "analyzeStack");
        const res = stackCall.resources.find((x: { urn: string }) => x.urn.endsWith("aws:ssm/parameter:Parameter::db-password"));
        assert.ok(res.propertyDependencies.value.some((u: string) => u.endsWith("random:index/randomPassword:RandomPassword::db-password")));
    });

    for (const mode of MODES) {
        it(`good program: secret config, a RandomPassword result and references give no diagnostics (${mode})`, () => {
            const r = results.get(`good-${mode}`)!;
            assert.strictEqual(r.exitCode, 0, r.stderr.slice(-1500));
            assert.deepStrictEqual(r.report!.diagnostics.map((d) => `${d.policyName} ${d.urn}`), []);
        });

        it(`bad program: each hard-coded secret flagged on its resource and path, mandatory (${mode})`, () => {
            const r = results.get(`bad-${mode}`)!;
            assert.strictEqual(r.exitCode, 1, r.stderr.slice(-1500));
            const ds = r.report!.diagnostics;
            const got = ds.map((d) => `${d.policyName} ${d.enforcementLevel} ${d.urn!.split("::").slice(-2).join("::")}`).sort();
            // The credential from plaintext config is no-plaintext-secret-config's: on the root stack and where it is used.
            assert.deepStrictEqual(got, [
                "no-hardcoded-secrets mandatory aws:secretsmanager/secretVersion:SecretVersion::ml-api-key-v1",
                "no-hardcoded-secrets mandatory pulumi:providers:vault::vault",
                "no-hardcoded-secrets mandatory vault:kv/secretV2:SecretV2::ci",
                "no-plaintext-secret-config mandatory aws:ssm/parameter:Parameter::hf-token",
                "no-plaintext-secret-config mandatory pulumi:pulumi:Stack::hardcoded-bad-dev",
            ]);
            const text = ds.map((d) => d.message).join("\n");
            assert.match(text, /property secretString .*detector: openai-api-key/);
            assert.match(text, /property dataJson\{json\}\.github_token .*detector: github-token/);
            assert.match(text, /property token .*detector: placeholder/);
            assert.match(text, /stack config 'hfToken' is a secret in plaintext: it matches a credential format \(huggingface-token\)/);
            assert.match(text, /'hf-token' property value takes stack config 'hfToken'.*pulumi config set --secret hfToken "\$\(pulumi config get hfToken\)"/s);
        });

        it(`never leaks a planted secret and never degrades to "can't run during preview" (${mode})`, () => {
            for (const which of ["good", "bad"]) {
                const r = results.get(`${which}-${mode}`)!;
                for (const s of all) {
                    assertNoLeak(r.stdout, s);
                    assertNoLeak(r.stderr, s);
                }
                assert.ok(!/can't run|during preview/.test(r.stdout), "no blanket advisory");
            }
        });
    }
});

describe("no-hardcoded-secrets: provenance per value (end to end through the checker)", function () {
    this.timeout(300000);
    const openai = fake.openai();
    const hf = fake.huggingFace();
    const gcpToken = `ya29.${fake.password()}${fake.password()}`;
    const dbPassword = fake.password();
    const results = new Map<string, RunCheckResult>();

    before(async () => {
        await Promise.all(MODES.map(async (mode) => {
            results.set(mode, await runCheck(path.join(dir, "provenance"), {
                mode,
                env: { ...plantedEnv({ openai, hf, dbPassword }), GCP_ACCESS_TOKEN: gcpToken },
            }));
        }));
    });

    for (const mode of MODES) {
        it(`flags literals beside references in the same property, and nothing that came from a resource or the environment (${mode})`, () => {
            const r = results.get(mode)!;
            assert.ok(r.report, `no report; exit ${r.exitCode}; stderr tail: ${r.stderr.slice(-1500)}`);
            const ds = r.report.diagnostics.filter((d) => d.policyName === "no-hardcoded-secrets");
            const got = ds.map((d) => {
                const where = /property (\S+) holds a hard-coded secret \(detector: ([a-z0-9-]+)/.exec(d.message);
                return `${d.enforcementLevel} ${d.urn!.split("::").slice(-1)[0]} ${where?.[1]} ${where?.[2]}`;
            }).sort();
            // In preview the interpolated connection string and container definitions are unknown as a whole.
            const interpolated = mode === "update" ? [
                "mandatory scorer environment.variables.DATABASE_URL url-password",
                "mandatory trainer containerDefinitions{json}[0].environment[2].value huggingface-token",
            ] : [];
            assert.deepStrictEqual(got, [...interpolated, "mandatory scorer environment.variables.OPENAI_API_KEY openai-api-key"].sort());
            assert.strictEqual(r.exitCode, 1);
            const others = r.report.diagnostics.filter((d) => d.policyName !== "no-hardcoded-secrets" && d.enforcementLevel === "mandatory");
            assert.deepStrictEqual(others.map((d) => d.policyName), []);
            for (const s of [openai, hf, gcpToken, dbPassword]) assertNoLeak(r.stdout + r.stderr, s);
        });
    }
});
