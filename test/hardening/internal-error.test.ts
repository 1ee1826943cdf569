// Internal errors end to end: a test pack built with the pack's own adapter (test/packs/internal-error) whose rules
// throw a custom error class carrying secret-looking values, run through the offline checker. Fail closed by
// default (mandatory), advisory when the policy's config says internalErrorLevel: advisory; the message names the
// policy, the resource and the error class, and holds no property value and no part of the error message.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { repoRoot, runCheck, RunCheckResult } from "../helpers/check";
import { assertNoLeak, fake, plantedEnv } from "../helpers/secrets";

const root = repoRoot();
const program = path.join(root, "test", "fixtures", "hardening", "internal-error");
const pack = path.join(root, "test", "packs", "internal-error");
const BUCKET_URN = "urn:pulumi:dev::internal-error::aws:s3/bucket:Bucket::models";

describe("hardening: internal errors in a policy fail closed, say what failed, and leak nothing", function () {
    this.timeout(180000);
    const errorSecret = fake.githubPat();
    const tagSecret = fake.openai();
    const env = { MLSG_INTERNAL_ERROR_SECRET: errorSecret, ...plantedEnv({ tag: tagSecret }) };
    let byDefault: RunCheckResult;
    let advisory: RunCheckResult;

    before(async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mlsg-internal-error-"));
        const cfg = path.join(dir, "policy-config.json");
        fs.writeFileSync(cfg, JSON.stringify({ "always-throws": { internalErrorLevel: "advisory" }, "always-throws-stack": { internalErrorLevel: "advisory" } }));
        [byDefault, advisory] = await Promise.all([
            runCheck(program, { pack, env }),
            runCheck(program, { pack, env, policyConfig: cfg }),
        ]);
    });

    function diag(r: RunCheckResult, policy: string) {
        assert.ok(r.report, `no report; exit ${r.exitCode}; stderr tail: ${r.stderr.slice(-800)}`);
        const ds = r.report.diagnostics.filter((d) => d.policyName === policy);
        assert.strictEqual(ds.length, 1, JSON.stringify(r.report.diagnostics.map((d) => [d.policyName, d.urn, d.enforcementLevel])));
        return ds[0];
    }

    it("a throwing resource rule: 'internal error evaluating <policy> on <urn>', the error class, mandatory by default", () => {
        const d = diag(byDefault, "always-throws");
        assert.strictEqual(d.urn, BUCKET_URN);
        assert.strictEqual(d.enforcementLevel, "mandatory");
        assert.ok(d.message.startsWith(`internal error evaluating always-throws on ${BUCKET_URN}: TokenParseError.`), d.message.slice(0, 200));
        assert.match(d.message, /fails closed/);
        assert.strictEqual(byDefault.exitCode, 1, "a mandatory internal error fails the check");
    });

    it("a throwing stack rule: 'internal error evaluating <policy> on the stack', the error class (a class with no name of its own)", () => {
        const d = diag(byDefault, "always-throws-stack");
        assert.strictEqual(d.enforcementLevel, "mandatory");
        assert.ok(d.message.startsWith("internal error evaluating always-throws-stack on the stack: StackWalkError."), d.message.slice(0, 200));
    });

    it("internalErrorLevel: advisory makes both advisory, and the check passes (exit 0)", () => {
        assert.strictEqual(diag(advisory, "always-throws").enforcementLevel, "advisory");
        assert.strictEqual(diag(advisory, "always-throws-stack").enforcementLevel, "advisory");
        assert.strictEqual(advisory.exitCode, 0, advisory.stderr.slice(-800));
    });

    it("neither the error's message nor the property value reaches any output (diagnostics, JSON, stderr)", () => {
        for (const r of [byDefault, advisory]) {
            for (const text of [r.stdout, r.stderr]) {
                assertNoLeak(text, errorSecret);
                assertNoLeak(text, tagSecret);
                assert.doesNotMatch(text, /cannot parse token|stack walk failed/);
            }
        }
    });
});
