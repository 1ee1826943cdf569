// The five compliant reference stacks and the five programs as first written in the scenario documents, run
// through the offline checker and the real pack in preview and update modes, with realistic secret config values.
import * as assert from "assert";
import * as path from "path";
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

type Expected = { policy: string; level: "mandatory" | "advisory"; resource: string }[];

/** What each as-written program must yield, exactly: policy, level and the resource (or export's stack) named. */
const AS_WRITTEN: Record<string, Expected> = {
    "000": [{ policy: "aws-secretsmanager-secret-cmk", level: "advisory", resource: "apiKeySecret" }],
    "001": [{ policy: "aws-secretsmanager-secret-cmk", level: "advisory", resource: "apiSecret" }],
    "002": [
        { policy: "azure-keyvault-access-policies", level: "mandatory", resource: "key_vault" },
        { policy: "azure-keyvault-network-acls", level: "advisory", resource: "key_vault" },
        { policy: "azure-keyvault-soft-delete-purge-protection", level: "advisory", resource: "key_vault" },
    ],
    "003": [
        { policy: "no-hardcoded-secrets", level: "mandatory", resource: "vault" },
        { policy: "no-hardcoded-secrets", level: "mandatory", resource: "apiKeySecret" },
        { policy: "vault-provider-tls", level: "advisory", resource: "vault" },
    ],
    "004": [
        { policy: "vault-transit-key-rotation", level: "mandatory", resource: "ml-api-key" },
        { policy: "no-plaintext-secret-exports", level: "mandatory", resource: "as-written-004-dev" },
    ],
};

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
    for (const name of Object.keys(SECRETS).filter((n) => !/^\d+$/.test(n))) {
        for (const mode of MODES) {
            it(`${name} (${mode})`, async () => {
                const secrets = SECRETS[name]();
                const r = await runCheck(path.join(root, "reference-stacks", name), { mode, secrets });
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
    for (const [seed, expected] of Object.entries(AS_WRITTEN)) {
        for (const mode of MODES) {
            it(`seed ${seed} (${mode})`, async () => {
                const secrets = SECRETS[seed]?.() ?? {};
                const r = await runCheck(path.join(root, "test", "fixtures", "as-written", seed), { mode, secrets });
                const mandatory = expected.some((e) => e.level === "mandatory");
                assert.strictEqual(r.exitCode, mandatory ? 1 : 0, `exit ${r.exitCode}: ${r.stderr.slice(0, 2000)}`);
                assert.deepStrictEqual(summary(r), expected.map((e) => `${e.policy} ${e.level} ${e.resource}`).sort());
                checkNoLeak(r, secrets);
            });
        }
    }
});
