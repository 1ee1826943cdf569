// End-to-end tests for one policy through the offline checker: its good program (compliant with every policy of
// the pack) and its bad program (violating exactly this policy), each in preview and update modes.
import * as assert from "assert";
import * as path from "path";
import { Diagnostic } from "../../checker/types";
import { repoRoot, runCheck, RunCheckResult } from "./check";

export interface ExpectedDiagnostic {
    /** `type::name` of the resource the diagnostic is about. */
    resource: string;
    /** How many diagnostics of the policy on that resource (default 1). */
    count?: number;
    /** Must match each diagnostic's message. */
    message?: RegExp;
}

export interface PolicyE2e {
    policy: string;
    level: "advisory" | "mandatory";
    /** Pulumi project name of the bad program (URNs are `urn:pulumi:dev::<project>::<type>::<name>`). */
    badProject: string;
    expected: ExpectedDiagnostic[];
}

function describeDiagnostics(ds: Diagnostic[]): string {
    return JSON.stringify(ds.map((d) => ({ policy: d.policyName, urn: d.urn, level: d.enforcementLevel })));
}

export function policyE2e(spec: PolicyE2e): void {
    describe(`${spec.policy} (end to end through the checker)`, function () {
        this.timeout(240000);
        const dir = path.join(repoRoot(), "test", "fixtures", "policies", spec.policy);
        const results = new Map<string, RunCheckResult>();

        before(async () => {
            // Two at a time: the machine has two cores.
            for (const mode of ["preview", "update"] as const) {
                const [good, bad] = await Promise.all([
                    runCheck(path.join(dir, "good"), { mode, timeoutMs: 180000 }),
                    runCheck(path.join(dir, "bad"), { mode, timeoutMs: 180000 }),
                ]);
                results.set(`good-${mode}`, good);
                results.set(`bad-${mode}`, bad);
            }
        });

        for (const mode of ["preview", "update"] as const) {
            it(`good program: no diagnostics from any policy (${mode})`, () => {
                const r = results.get(`good-${mode}`)!;
                assert.ok(r.report, `no report; exit ${r.exitCode}; stderr tail: ${r.stderr.slice(-800)}`);
                assert.deepStrictEqual(r.report.diagnostics, [], describeDiagnostics(r.report.diagnostics));
            });

            it(`bad program: exactly the expected ${spec.policy} diagnostics (${mode})`, () => {
                const r = results.get(`bad-${mode}`)!;
                assert.ok(r.report, `no report; exit ${r.exitCode}; stderr tail: ${r.stderr.slice(-800)}`);
                const ds = r.report.diagnostics;
                const others = ds.filter((d) => d.policyName !== spec.policy);
                assert.deepStrictEqual(others, [], `other policies fired: ${describeDiagnostics(others)}`);
                let total = 0;
                for (const e of spec.expected) {
                    const urn = `urn:pulumi:dev::${spec.badProject}::${e.resource}`;
                    const mine = ds.filter((d) => d.urn === urn);
                    assert.strictEqual(mine.length, e.count ?? 1, `diagnostics on ${e.resource}: ${describeDiagnostics(ds)}`);
                    for (const d of mine) {
                        assert.strictEqual(d.enforcementLevel, spec.level);
                        if (e.message) assert.match(d.message, e.message);
                    }
                    total += mine.length;
                }
                assert.strictEqual(ds.length, total, `unexpected diagnostics: ${describeDiagnostics(ds)}`);
                if (spec.level === "mandatory") assert.notStrictEqual(r.exitCode, 0, "a mandatory violation fails the check");
            });
        }
    });
}
