// The realistic programs (test/fixtures/realistic/) through the offline checker and the real pack, in preview and
// update: each must give exactly its expected diagnostics (policy, resource, level, property path), no more, no
// less, and no planted value may reach the output. Expectations live beside each program (expected.json).
import * as assert from "assert";
import { assertNoLeak } from "../helpers/secrets";
import { compare, describeComparison, loadPrograms, MODES, ProgramRun, runPrograms } from "./programs";

/** Checker processes at a time (each run takes ~5-10 s; the machine has two cores). */
const CONCURRENCY = 4;

describe("realistic programs: exactly the expected findings (end to end through the checker)", function () {
    this.timeout(1800000);
    const specs = loadPrograms();
    const runs = new Map<string, ProgramRun>();

    before(async () => {
        for (const r of await runPrograms(specs, MODES, CONCURRENCY)) runs.set(`${r.spec.name} ${r.mode}`, r);
    });

    it("there are at least 20 programs, some compliant and some violating, and every one declares its silent values", () => {
        assert.ok(specs.length >= 20, `${specs.length} programs`);
        assert.ok(specs.some((s) => s.expected.length === 0), "a compliant program");
        assert.ok(specs.filter((s) => s.expected.some((e) => !e.optional)).length >= 10, "violating programs");
        for (const s of specs) assert.ok(s.silent.length > 0, `${s.name} declares no silent value`);
    });

    for (const spec of specs) {
        for (const mode of MODES) {
            it(`${spec.name} (${mode})`, () => {
                const r = runs.get(`${spec.name} ${mode}`)!;
                assert.ok(r.result, `the checker did not run: ${r.error}`);
                const res = r.result;
                // Every planted value, secret config value and environment value, over everything the run printed.
                for (const v of r.values.all) {
                    assertNoLeak(res.stdout, v);
                    assertNoLeak(res.stderr, v);
                }
                assert.ok(res.report, `no report; exit ${res.exitCode}; stderr tail: ${res.stderr.slice(-1500)}`);
                assert.ok(res.exitCode === 0 || res.exitCode === 1, `exit ${res.exitCode}: ${res.stderr.slice(-1500)}`);
                assert.ok(res.report.resources.length > 2, "the program registered its resources");
                const c = compare(spec, mode, res.report.diagnostics);
                assert.ok(c.exact, `${spec.name} (${mode}) differs from expected.json:\n${describeComparison(c)}`);
                const mandatory = res.report.diagnostics.some((d) => d.enforcementLevel === "mandatory");
                assert.strictEqual(res.exitCode, mandatory ? 1 : 0, "exit status follows the mandatory findings");
            });
        }
    }
});
