// no-stringified-outputs end to end: secrets from config put into strings with JSON.stringify / a template literal
// (bad) and with pulumi.jsonStringify / pulumi.interpolate (good), through the offline checker and the real pack.
// The bad program's warning texts sit under token keys: no-hardcoded-secrets must stay silent on them.
import * as assert from "assert";
import * as path from "path";
import { repoRoot, runCheck, RunCheckResult } from "../helpers/check";
import { assertNoLeak, fake } from "../helpers/secrets";

const dir = path.join(repoRoot(), "test", "fixtures", "policies", "no-stringified-outputs");
const MODES = ["preview", "update"] as const;
const URN = (type: string, name: string) => `urn:pulumi:dev::stringified-bad::${type}::${name}`;

describe("no-stringified-outputs (end to end through the checker)", function () {
    this.timeout(300000);
    const secrets = { hfToken: fake.huggingFace(), wandbApiKey: fake.password() };
    const results = new Map<string, RunCheckResult>();

    before(async () => {
        for (const mode of MODES) {
            const [good, bad] = await Promise.all([
                runCheck(path.join(dir, "good"), { mode, secrets, timeoutMs: 180000 }),
                runCheck(path.join(dir, "bad"), { mode, secrets, timeoutMs: 180000 }),
            ]);
            results.set(`good-${mode}`, good);
            results.set(`bad-${mode}`, bad);
        }
    });

    for (const mode of MODES) {
        it(`good program: no diagnostics from any policy (${mode})`, () => {
            const r = results.get(`good-${mode}`)!;
            assert.ok(r.report, `no report; exit ${r.exitCode}; stderr tail: ${r.stderr.slice(-800)}`);
            assert.deepStrictEqual(r.report.diagnostics.map((d) => `${d.policyName} ${d.urn}`), []);
            assert.strictEqual(r.exitCode, 0);
        });

        it(`bad program: one advisory per stringified value, naming the path and the fix; nothing mandatory (${mode})`, () => {
            const r = results.get(`bad-${mode}`)!;
            assert.ok(r.report, `no report; exit ${r.exitCode}; stderr tail: ${r.stderr.slice(-800)}`);
            const ds = r.report.diagnostics;
            assert.deepStrictEqual(ds.map((d) => `${d.policyName} ${d.enforcementLevel} ${d.urn}`).sort(), [
                `no-stringified-outputs advisory ${URN("aws:ecs/taskDefinition:TaskDefinition", "trainer")}`,
                `no-stringified-outputs advisory ${URN("aws:lambda/function:Function", "report")}`,
            ]);
            const task = ds.find((d) => d.urn!.includes("TaskDefinition"))!.message;
            assert.match(task, /containerDefinitions\{json\}\[0\]\.environment\[1\]\.value/);
            assert.match(task, /Calling \[toJSON\] on an \[Output<T>\] is not supported/);
            assert.match(task, /pulumi\.jsonStringify/);
            const fn = ds.find((d) => d.urn!.includes("Function"))!.message;
            assert.match(fn, /environment\.variables\.WANDB_API_KEY/);
            assert.match(fn, /Calling \[toString\]/);
            assert.match(fn, /pulumi\.interpolate/);
            assert.strictEqual(r.exitCode, 0, "advisory findings do not fail the check");
            for (const s of Object.values(secrets)) for (const out of [r.stdout, r.stderr]) assertNoLeak(out, s);
        });
    }
});
