import * as assert from "assert";
import { formatJson } from "../../../checker/format/json";
import { MSG, report, URNS } from "./report-fixture";

describe("checker/format/json", () => {
    const out = formatJson(report());
    const doc = JSON.parse(out);

    it("has a stable top-level key order and 2-space indent", () => {
        assert.deepStrictEqual(Object.keys(doc), [
            "schemaVersion",
            "program",
            "project",
            "stack",
            "mode",
            "policyPack",
            "summary",
            "diagnostics",
            "fixed",
            "resources",
            "policies",
            "policyCounts",
        ]);
        assert.ok(out.startsWith('{\n  "schemaVersion": 1,\n  "program": "examples/ml-stack",'));
    });

    it("counts mandatory and advisory diagnostics and resources", () => {
        assert.deepStrictEqual(doc.summary, { mandatory: 2, advisory: 2, remediate: 0, resources: 6, baselined: 0 });
        assert.strictEqual(doc.mode, "preview");
        assert.strictEqual(doc.stack, "dev");
    });

    it("lists every diagnostic with the same keys, null urn for stack-wide ones", () => {
        assert.strictEqual(doc.diagnostics.length, 4);
        for (const d of doc.diagnostics) {
            assert.deepStrictEqual(Object.keys(d), [
                "policyName",
                "policyPackName",
                "policyPackVersion",
                "enforcementLevel",
                "severity",
                "urn",
                "message",
                "location",
                "fingerprint",
                "baselined",
            ]);
        }
        assert.deepStrictEqual(
            doc.diagnostics.map((d: { urn: string | null }) => d.urn),
            [URNS.lambda, URNS.secret, URNS.job, null],
        );
        assert.strictEqual(doc.diagnostics[0].message, MSG.lambdaKey);
        assert.strictEqual(doc.diagnostics[3].policyName, "no-plaintext-secret-exports");
    });

    it("lists resources and policies", () => {
        assert.strictEqual(doc.resources.length, 6);
        assert.deepStrictEqual(Object.keys(doc.resources[0]), ["urn", "type", "name", "location"]);
        assert.deepStrictEqual(
            doc.policies.map((p: { name: string }) => p.name),
            ["no-hardcoded-secrets", "no-plaintext-secret-exports", "kms-encrypted-secrets", "legacy-rule"],
        );
        assert.strictEqual(doc.policies[1].displayName, null);
    });

    it("is deterministic whatever the input order of diagnostics", () => {
        const r = report();
        r.diagnostics.reverse();
        assert.strictEqual(formatJson(r), out);
    });
});
