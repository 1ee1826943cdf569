import * as assert from "assert";
import * as path from "path";
import { repoRoot, runCheck } from "../helpers/check";
import { policyE2e } from "../helpers/policy-e2e";

policyE2e({
    policy: "vault-provider-tls",
    level: "advisory",
    badProject: "vault-tls-bad",
    expected: [{ resource: "pulumi:providers:vault::vault", message: /plain http:\/\// }],
});


describe("vault-provider-tls on the default provider (end to end)", function () {
    this.timeout(180000);
    const program = path.join(repoRoot(), "test", "fixtures", "policies", "vault-transit-key-rotation", "good");
    const urn = "urn:pulumi:dev::transit-good::pulumi:providers:vault::default_7_8_0";

    it("flags `vault:address` set to plain http to a remote host, not https or loopback", async () => {
        const [remote, tls, loop] = await Promise.all([
            runCheck(program, { mode: "preview", config: { "vault:address": "http://10.1.2.3:8200" } }),
            runCheck(program, { mode: "preview", config: { "vault:address": "https://10.1.2.3:8200" } }),
            runCheck(program, { mode: "preview", config: { "vault:address": "http://127.0.0.1:8200" } }),
        ]);
        assert.ok(remote.report && tls.report && loop.report, remote.stderr.slice(-500));
        assert.deepStrictEqual(remote.report.diagnostics.map((d) => [d.policyName, d.urn]), [["vault-provider-tls", urn]]);
        assert.ok(!remote.report.diagnostics[0].message.includes("10.1.2.3"), "the address is not echoed");
        assert.deepStrictEqual(tls.report.diagnostics, []);
        assert.deepStrictEqual(loop.report.diagnostics, []);
    });
});
