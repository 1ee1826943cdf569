// Bad policy configuration is a clear error in both places that see it: the offline checker (exit 2, the message
// names the policy and the field) and the pack itself when Configure carries it (a gRPC error naming them), since
// a pack must not trust the CLI to have validated its config.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { repoRoot, runCheck, RunCheckResult } from "../helpers/check";
import { METAS } from "./harness";
import { PackClient } from "./pack-client";
import { PROJECT, STACK } from "./scenario";

const program = path.join(repoRoot(), "test", "fixtures", "policies", "vault-provider-tls", "good");

function writeConfig(doc: unknown): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mlsg-bad-config-"));
    const file = path.join(dir, "policy-config.json");
    fs.writeFileSync(file, JSON.stringify(doc));
    return file;
}

describe("hardening: bad policy config in the offline checker (exit 2, names policy and field)", function () {
    this.timeout(180000);
    const cases: { name: string; doc: unknown; mentions: RegExp[] }[] = [
        { name: "an unknown policy", doc: { "no-such-policy": { enforcementLevel: "mandatory" } }, mentions: [/no-such-policy/] },
        { name: "a wrong-typed field", doc: { "aws-kms-key-rotation": { maxRotationPeriodInDays: "ninety" } }, mentions: [/aws-kms-key-rotation/, /maxRotationPeriodInDays/] },
        { name: "an out-of-range field", doc: { "gcp-kms-crypto-key-rotation": { maxRotationPeriodSeconds: 5 } }, mentions: [/gcp-kms-crypto-key-rotation/, /maxRotationPeriodSeconds/] },
        { name: "an unknown field", doc: { "no-hardcoded-secrets": { allowList: [] } }, mentions: [/no-hardcoded-secrets/, /allowList/] },
        { name: "a bad internalErrorLevel", doc: { "vault-provider-tls": { internalErrorLevel: "ignore" } }, mentions: [/vault-provider-tls/, /internalErrorLevel/] },
    ];
    const results = new Map<string, RunCheckResult>();
    before(async () => {
        // Two at a time: the machine has two cores.
        for (let i = 0; i < cases.length; i += 2) {
            await Promise.all(cases.slice(i, i + 2).map(async (c) => results.set(c.name, await runCheck(program, { policyConfig: writeConfig(c.doc) }))));
        }
    });
    for (const c of cases) {
        it(`${c.name}`, () => {
            const r = results.get(c.name)!;
            assert.strictEqual(r.exitCode, 2, `exit ${r.exitCode}; stderr: ${r.stderr.slice(-600)}`);
            for (const m of c.mentions) assert.match(r.stderr, m);
        });
    }
});

describe("hardening: bad policy config sent to the pack in Configure (gRPC error names policy and field)", function () {
    this.timeout(120000);
    let pack: PackClient;
    const defaults = () => {
        const cfg: Record<string, { enforcementLevel: string; properties: Record<string, unknown> }> = {};
        for (const m of METAS.values()) cfg[m.name] = { enforcementLevel: m.enforcementLevel, properties: {} };
        return cfg;
    };

    before(async () => {
        pack = await PackClient.start({ project: PROJECT, stack: STACK, dryRun: true, config: {}, secretKeys: [] });
    });
    after(() => pack?.stop());

    async function rejection(cfg: ReturnType<typeof defaults>): Promise<{ code: number; details: string }> {
        try {
            await pack.configure(cfg);
        } catch (e: any) {
            return { code: e.code, details: String(e.details ?? e.message) };
        }
        return assert.fail("Configure accepted the config");
    }

    it("the default config is accepted (the control)", async () => {
        await pack.configure(defaults());
    });

    it("an unknown policy name", async () => {
        const cfg = defaults();
        cfg["no-such-policy"] = { enforcementLevel: "mandatory", properties: {} };
        const e = await rejection(cfg);
        assert.strictEqual(e.code, pack.grpc.status.INVALID_ARGUMENT);
        assert.match(e.details, /unknown policy 'no-such-policy'/);
    });

    it("a wrong-typed field", async () => {
        const cfg = defaults();
        cfg["vault-transit-key-rotation"].properties = { maxAutoRotatePeriodSeconds: "a week" };
        const e = await rejection(cfg);
        assert.strictEqual(e.code, pack.grpc.status.INVALID_ARGUMENT);
        assert.match(e.details, /vault-transit-key-rotation: maxAutoRotatePeriodSeconds: must be a number, got string/);
    });

    it("a wrong-typed nested field, and the value is not echoed", async () => {
        const cfg = defaults();
        cfg["no-hardcoded-secrets"].properties = { allowlist: [{ urn: 42, reason: "sk-proj-not-echoed-value" }] };
        const e = await rejection(cfg);
        assert.match(e.details, /no-hardcoded-secrets: allowlist\[0\]\.urn: must be a string/);
        assert.doesNotMatch(e.details, /not-echoed/);
    });

    it("the pack keeps serving after rejecting a config", async () => {
        await pack.configure(defaults());
        assert.ok(pack.alive());
    });
});
