import * as assert from "assert";
import * as path from "path";
import { repoRoot, runCheck, RunCheckResult } from "../helpers/check";
import { policyE2e } from "../helpers/policy-e2e";

const MODES = ["preview", "update"] as const;

// The good program passes only through its standalone AccessPolicy resource (vaultName: vault.name): in preview the
// name is unknown and the link comes from propertyDependencies.
policyE2e({
    policy: "azure-keyvault-access-policies",
    level: "mandatory",
    badProject: "kv-access-bad",
    expected: [{ resource: "azure-native:keyvault:Vault::kv", message: /has no access model/ }],
});

// A standalone AccessPolicy whose vaultName is another vault's output (unknown in preview) must not stop the pack
// from judging an empty vault: its property dependencies say which vault it targets.
describe("azure-keyvault-access-policies: an AccessPolicy for another vault (end to end, both modes)", function () {
    this.timeout(240000);
    const dir = path.join(repoRoot(), "test", "fixtures", "policies", "azure-keyvault-access-policies", "other-vault");
    const results = new Map<string, RunCheckResult>();

    before(async () => {
        const [preview, update] = await Promise.all(MODES.map((mode) => runCheck(dir, { mode, timeoutMs: 180000 })));
        results.set("preview", preview);
        results.set("update", update);
    });

    for (const mode of MODES) {
        it(`the empty vault is reported, the vault the AccessPolicy targets is not (${mode})`, () => {
            const r = results.get(mode)!;
            assert.ok(r.report, `no report; exit ${r.exitCode}; stderr tail: ${r.stderr.slice(-800)}`);
            assert.deepStrictEqual(r.report.diagnostics.map((d) => `${d.policyName} ${d.enforcementLevel} ${d.urn}`), [
                "azure-keyvault-access-policies mandatory urn:pulumi:dev::kv-access-other-vault::azure-native:keyvault:Vault::kv",
            ]);
            assert.match(r.report.diagnostics[0].message, /Key Vault 'kv' has no access model/);
            assert.notStrictEqual(r.exitCode, 0);
        });
    }
});
