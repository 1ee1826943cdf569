// no-plaintext-secret-exports end to end: good and bad programs through the offline checker and the real pack.
import * as assert from "assert";
import * as path from "path";
import { repoRoot, runCheck, RunCheckResult } from "../helpers/check";
import { assertNoLeak, fake, plantedEnv } from "../helpers/secrets";

const dir = path.join(repoRoot(), "test", "fixtures", "policies", "no-plaintext-secret-exports");
const MODES = ["preview", "update"] as const;

describe("no-plaintext-secret-exports (end to end through the checker)", function () {
    this.timeout(300000);
    const apiKey = fake.anthropic();
    const hfToken = fake.huggingFace();
    const accessKeyId = fake.awsAccessKeyId();
    const results = new Map<string, RunCheckResult>();

    before(async () => {
        for (const mode of MODES) {
            const [good, bad, precision] = await Promise.all([
                runCheck(path.join(dir, "good"), { mode, secrets: { apiKey } }),
                runCheck(path.join(dir, "bad"), { mode, secrets: { apiKey } }),
                runCheck(path.join(dir, "precision"), { mode, secrets: { hfToken }, env: plantedEnv({ accessKeyId }) }),
            ]);
            results.set(`good-${mode}`, good);
            results.set(`bad-${mode}`, bad);
            results.set(`precision-${mode}`, precision);
        }
    });

    for (const mode of MODES) {
        it(`good program: secret exports and references give no diagnostics (${mode})`, () => {
            const r = results.get(`good-${mode}`)!;
            assert.strictEqual(r.exitCode, 0, r.stderr.slice(-1500));
            assert.deepStrictEqual(r.report!.diagnostics.map((d) => `${d.policyName} ${d.urn}`), []);
        });

        it(`bad program: each plaintext secret export flagged on the stack, mandatory, redacted (${mode})`, () => {
            const r = results.get(`bad-${mode}`)!;
            assert.strictEqual(r.exitCode, 1, r.stderr.slice(-1500));
            const ds = r.report!.diagnostics;
            assert.deepStrictEqual(ds.filter((d) => d.policyName !== "no-plaintext-secret-exports").map((d) => d.policyName), []);
            assert.ok(ds.every((d) => d.enforcementLevel === "mandatory" && d.urn === "urn:pulumi:dev::exports-bad::pulumi:pulumi:Stack::exports-bad-dev"));
            const exportsFlagged = ds.map((d) => /stack export '([^']+)'/.exec(d.message)?.[1]).sort();
            assert.deepStrictEqual(exportsFlagged, ["adminPassword", "apiKey", "apiKeyPlaintext", "endpoints"]);
            assert.match(ds.find((d) => d.message.includes("'apiKey'"))!.message, /secret config 'exports-bad:apiKey'/);
            for (const out of [r.stdout, r.stderr]) assertNoLeak(out, apiKey);
        });

        it(`precision: secret resources' names, masks, Output-stringified text give nothing; an access key id alone is advisory (${mode})`, () => {
            const r = results.get(`precision-${mode}`)!;
            assert.ok(r.report, `no report; exit ${r.exitCode}; stderr tail: ${r.stderr.slice(-1500)}`);
            assert.deepStrictEqual(r.report.diagnostics.map((d) => `${d.policyName} ${d.enforcementLevel} ${/stack export '([^']+)'/.exec(d.message)?.[1]}`), [
                "no-plaintext-secret-exports advisory deployerAccessKeyId",
            ]);
            assert.strictEqual(r.exitCode, 0, "nothing mandatory");
            for (const out of [r.stdout, r.stderr]) {
                assertNoLeak(out, accessKeyId);
                assertNoLeak(out, hfToken);
            }
        });
    }
});
