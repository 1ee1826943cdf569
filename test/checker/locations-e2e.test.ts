// Findings at the source line, end to end: the no-hardcoded-secrets bad program through the built checker in both
// modes. The location comes from the SDK's stack trace (first frame in the program) and the TypeScript walk to the
// property that holds the literal; the fingerprint is the same in preview and update.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { repoRoot, runCheck, RunCheckResult } from "../helpers/check";
import { assertNoLeak, fake, plantedEnv } from "../helpers/secrets";

const dir = path.join(repoRoot(), "test", "fixtures", "policies", "no-hardcoded-secrets", "bad");

/** 1-based line of the only line of the program containing `needle`. */
function lineOf(needle: string): number {
    const lines = fs.readFileSync(path.join(dir, "index.ts"), "utf8").split("\n");
    const hits = lines.flatMap((l, i) => (l.includes(needle) ? [i + 1] : []));
    assert.strictEqual(hits.length, 1, `${needle} must be on exactly one line`);
    return hits[0];
}

describe("checker: findings at the literal's line, stable fingerprints across modes (end to end)", function () {
    this.timeout(240000);
    const planted = { openai: fake.openai(), github: fake.githubPat() };
    const hfToken = fake.huggingFace();
    const runs = new Map<string, RunCheckResult>();

    before(async () => {
        const env = plantedEnv(planted);
        const [preview, update] = await Promise.all(
            (["preview", "update"] as const).map((mode) => runCheck(dir, { mode, env, config: { hfToken }, timeoutMs: 180000 })),
        );
        runs.set("preview", preview);
        runs.set("update", update);
        // Allowlist entries with expires: an expired one stops applying and is named in an advisory finding.
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "mlsg-allow-"));
        const cfg = path.join(tmp, "policy-config.json");
        fs.writeFileSync(cfg, JSON.stringify({
            "no-hardcoded-secrets": {
                allowlist: [
                    { urn: "*::vault", path: "token", reason: "fixture", expires: "2020-01-01" },
                    { urn: "*::ci", reason: "fixture", expires: "2999-12-31" },
                ],
            },
        }));
        runs.set("allowlist", await runCheck(dir, { env, config: { hfToken }, policyConfig: cfg, timeoutMs: 180000 }));
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    it("allowlist expires: an expired entry no longer applies and is named in an advisory; a current one still applies", () => {
        const r = runs.get("allowlist")!;
        assert.ok(r.report, r.stderr.slice(-2000));
        const ds = r.report!.diagnostics;
        const names = ds.filter((d) => d.enforcementLevel === "mandatory").map((d) => d.urn!.split("::").pop()).sort();
        // hardcoded-bad-dev: the root stack, where no-plaintext-secret-config reports the plaintext hfToken config key.
        assert.deepStrictEqual(names, ["hardcoded-bad-dev", "hf-token", "ml-api-key-v1", "vault"]);
        const adv = ds.filter((d) => d.enforcementLevel === "advisory");
        assert.strictEqual(adv.length, 1);
        assert.match(adv[0].message, /no-hardcoded-secrets allowlist\[0\] \(urn "\*::vault", path "token"\) expired on 2020-01-01/);
    });

    for (const mode of ["preview", "update"] as const) {
        it(`each finding names index.ts and the line of its literal (${mode})`, () => {
            const r = runs.get(mode)!;
            assert.strictEqual(r.exitCode, 1, r.stderr.slice(-2000));
            const at = new Map(r.report!.diagnostics.map((d) => [d.urn!.split("::").pop()!, d.location]));
            assert.deepStrictEqual(at.get("ml-api-key-v1"), { file: "index.ts", line: lineOf('planted("openai")'), column: at.get("ml-api-key-v1")!.column });
            assert.strictEqual(at.get("vault")?.line, lineOf('token: "your-vault-token"'));
            assert.strictEqual(at.get("ci")?.line, lineOf('github_token: planted("github")'));
            assert.strictEqual(at.get("hf-token")?.line, lineOf('config.require("hfToken")'));
            for (const s of [...Object.values(planted), hfToken]) assertNoLeak(r.stdout + r.stderr, s);
        });
    }

    it("gives each finding the same fingerprint in preview and update", () => {
        const fp = (mode: string) => runs.get(mode)!.report!.diagnostics.map((d) => `${d.urn} ${d.fingerprint}`).sort();
        // Three hard-coded secrets, and the plaintext hfToken config key on the root stack and where it is used.
        assert.strictEqual(fp("preview").length, 5);
        assert.deepStrictEqual(fp("preview"), fp("update"));
        assert.ok(fp("preview").every((l) => /[0-9a-f]{32}$/.test(l)));
    });
});
