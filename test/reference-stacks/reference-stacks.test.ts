// The five compliant reference stacks and the five programs as first written in the scenario documents, run
// through the offline checker and the real pack in preview and update modes, with realistic secret config values.
import * as assert from "assert";
import * as path from "path";
import { readScenarios } from "../../checker/references";
import { repoRoot, runCheck, RunCheckResult } from "../helpers/check";
import { assertNoLeak, fake } from "../helpers/secrets";

const root = repoRoot();
const MODES = ["preview", "update"] as const;

/** Secret config each program reads, with values in the shapes real keys have. Generated per run, never printed. */
const SECRETS: Record<string, () => Record<string, string>> = {
    "aws-secrets-manager": () => ({ "ml-aws-secrets:apiKey": fake.openai() }),
    "aws-gcp-kms": () => ({}),
    "azure-keyvault-ml": () => ({}),
    "vault-kv-azure-ml": () => ({ "ml-vault-kv-azure:vaultToken": fake.vaultToken(), "ml-vault-kv-azure:apiKey": fake.openai() }),
    "vault-transit": () => ({ "ml-vault-transit:vaultToken": fake.vaultToken(), "ml-vault-transit:mlApiKey": fake.anthropic() }),
    "000": () => ({ "as-written-000:apiKey": fake.openai() }),
};

/** The scenarios and what each as-written program must yield, exactly: the main job's own expectations. */
const SCENARIOS = readScenarios(root);

function summary(r: RunCheckResult): string[] {
    return (r.report?.diagnostics ?? [])
        .map((d) => `${d.policyName} ${d.enforcementLevel} ${(d.urn ?? "").split("::").pop()}`)
        .sort();
}

function checkNoLeak(r: RunCheckResult, secrets: Record<string, string>): void {
    for (const s of Object.values(secrets)) {
        assertNoLeak(r.stdout, s);
        assertNoLeak(r.stderr, s);
    }
}

describe("reference stacks: compliant, zero diagnostics of any level", function () {
    this.timeout(180000);
    for (const scenario of SCENARIOS) {
        const name = path.basename(scenario.reference);
        for (const mode of MODES) {
            it(`${name} (${mode})`, async () => {
                const secrets = SECRETS[name]?.() ?? {};
                const r = await runCheck(path.join(root, scenario.reference), { mode, secrets });
                assert.strictEqual(r.exitCode, 0, `exit ${r.exitCode}: ${r.stderr.slice(0, 2000)}`);
                assert.ok(r.report, "a JSON report");
                assert.ok(r.report!.resources.length >= 3, "the program registered its resources");
                assert.deepStrictEqual(summary(r), []);
                checkNoLeak(r, secrets);
            });
        }
    }
});

describe("as-written programs from the scenario documents: exactly the expected findings", function () {
    this.timeout(180000);
    for (const { seed, expected, asWritten } of SCENARIOS) {
        for (const mode of MODES) {
            it(`seed ${seed} (${mode})`, async () => {
                const secrets = SECRETS[seed]?.() ?? {};
                const r = await runCheck(path.join(root, asWritten), { mode, secrets });
                const mandatory = expected.some((e) => e.level === "mandatory");
                assert.strictEqual(r.exitCode, mandatory ? 1 : 0, `exit ${r.exitCode}: ${r.stderr.slice(0, 2000)}`);
                assert.deepStrictEqual(summary(r), expected.map((e) => `${e.policy} ${e.level} ${e.resource}`).sort());
                checkNoLeak(r, secrets);
            });
        }
    }
});
