// The main job's verdicts and report, on in-memory runs (the real runs are in test/reference-stacks).
import * as assert from "assert";
import { compareFindings, readScenarios, renderScenarios, runVerdict, Scenario, ScenarioResult } from "../../checker/references";
import { CheckReport, Diagnostic } from "../../checker/types";
import { repoRoot } from "../helpers/check";

const scenario: Scenario = {
    seed: "003",
    title: "Vault-secured Credential Storage",
    asWritten: "test/fixtures/as-written/003",
    reference: "reference-stacks/vault-kv-azure-ml",
    expected: [
        { policy: "no-hardcoded-secrets", level: "mandatory", resource: "vault" },
        { policy: "vault-provider-tls", level: "advisory", resource: "vault" },
    ],
};

const URN = "urn:pulumi:dev::p::pulumi:providers:vault::vault";

function diag(policyName: string, enforcementLevel: Diagnostic["enforcementLevel"], line: number): Diagnostic {
    return {
        policyName, enforcementLevel, urn: URN, policyPackName: "ml-secrets-guard", policyPackVersion: "0.1.0", phase: "analyze",
        message: `Description.\npulumi:providers:vault 'vault' property token holds a hard-coded secret: your… (16 chars).`,
        location: { file: "index.ts", line, column: 5 },
    };
}

function report(ds: Diagnostic[]): CheckReport {
    return {
        program: ".", stack: "dev", project: "p", mode: "preview", resources: [], diagnostics: ds,
        pack: { name: "ml-secrets-guard", version: "0.1.0", supportsConfig: true, policies: [] },
    };
}

describe("checker/references: the main job", () => {
    it("reads the five scenarios from reference-stacks/scenarios.json", () => {
        const s = readScenarios(repoRoot());
        assert.deepStrictEqual(s.map((x) => x.seed), ["000", "001", "002", "003", "004"]);
        assert.ok(s.every((x) => x.expected.length > 0 && x.reference.startsWith("reference-stacks/")));
    });

    it("compares findings as multisets of (policy, level, resource)", () => {
        const ok = [diag("no-hardcoded-secrets", "mandatory", 21), diag("vault-provider-tls", "advisory", 24)];
        assert.deepStrictEqual(compareFindings(scenario.expected, ok), { missing: [], unexpected: [] });
        const twice = [...ok, diag("no-hardcoded-secrets", "mandatory", 22)];
        assert.deepStrictEqual(compareFindings(scenario.expected, twice).unexpected, ["no-hardcoded-secrets mandatory vault"]);
        assert.deepStrictEqual(compareFindings(scenario.expected, ok.slice(1)).missing, ["no-hardcoded-secrets mandatory vault"]);
        assert.strictEqual(runVerdict({ report: report([]) }, "clean").ok, true);
        assert.strictEqual(runVerdict({ report: report(ok) }, "clean").ok, false);
        assert.strictEqual(runVerdict({ error: "the program failed" }, scenario.expected).ok, false);
    });

    it("shows each scenario's findings with file:line and the redacted message, the clean reference, and a table", () => {
        const found = [diag("no-hardcoded-secrets", "mandatory", 21), diag("vault-provider-tls", "advisory", 24)];
        const results: ScenarioResult[] = [{
            scenario,
            asWritten: { preview: { report: report(found) }, update: { report: report(found) } },
            reference: { preview: { report: report([]) }, update: { report: report([]) } },
        }];
        const { text, ok } = renderScenarios(results, ["preview", "update"]);
        assert.ok(ok);
        assert.match(text, /Seed 003 {2}Vault-secured Credential Storage/);
        assert.match(text, /index\.ts:21:5 {2}mandatory {2}no-hardcoded-secrets {2}pulumi:providers:vault 'vault' property token holds a hard-coded secret: your… \(16 chars\)\./);
        assert.match(text, /\(the same findings as preview\)/);
        assert.match(text, /reference stack: reference-stacks\/vault-kv-azure-ml\n {4}preview {2}clean\n {4}update {3}clean/);
        assert.match(text, /\| 003 +\| 2 expected +\| 1 mandatory, 1 advisory +\| 1 mandatory, 1 advisory +\| vault-kv-azure-ml +\| clean +\| clean +\|/);
        assert.match(text, /OK: every as-written program gets exactly its expected findings/);

        results[0].reference.update = { report: report(found.slice(1)) };
        const bad = renderScenarios(results, ["preview", "update"]);
        assert.strictEqual(bad.ok, false);
        assert.match(bad.text, /update {3}0 mandatory, 1 advisory, NOT as expected: unexpected vault-provider-tls advisory vault/);
        assert.match(bad.text, /FAILED/);
    });
});
