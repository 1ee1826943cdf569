// no-secrets-in-plaintext-cloud-fields end to end: a compliant and a violating program per provider (AWS, Google
// Cloud, Azure), through the offline checker and the real pack, in preview and update. The secret comes from secret
// config (`--secret openaiKey=...`, a realistic fake generated now), so no other policy has anything to say.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Diagnostic } from "../../checker/types";
import { repoRoot, runCheck, RunCheckResult } from "../helpers/check";
import { assertNoLeak, fake } from "../helpers/secrets";

const POLICY = "no-secrets-in-plaintext-cloud-fields";
const dir = path.join(repoRoot(), "test", "fixtures", "policies", POLICY);
const MODES = ["preview", "update"] as const;
const PROVIDERS = ["aws", "gcp", "azure"] as const;

/** Per provider: `type::name` of each flagged resource -> the property path its message must name. */
const EXPECTED: Record<(typeof PROVIDERS)[number], Record<string, RegExp>> = {
    aws: {
        "aws:lambda/function:Function::inference": /property environment\.variables\.OPENAI_API_KEY .*Lambda.*OPENAI_API_KEY_SECRET_ARN: secret\.arn/,
        "aws:ecs/taskDefinition:TaskDefinition::api": /property containerDefinitions\{json\}\[0\]\.environment\[1\]\.value \("OPENAI_API_KEY"\) .*`secrets: \[\{ name, valueFrom \}\]`/,
        "aws:ec2/launchTemplate:LaunchTemplate::workers": /property userData .*launch template user data/,
    },
    gcp: {
        "gcp:compute/instance:Instance::trainer": /property metadataStartupScript .*gcloud secrets versions access/,
        "gcp:cloudrunv2/service:Service::inference": /property template\.containers\[0\]\.envs\[1\]\.value \("OPENAI_API_KEY"\) .*valueSource: \{ secretKeyRef/,
    },
    azure: {
        "azure-native:web:WebApp::inference": /property siteConfig\.appSettings\[1\]\.value \("OPENAI_API_KEY"\) .*@Microsoft\.KeyVault\(SecretUri=/,
        "azure-native:app:ContainerApp::worker": /property template\.containers\[0\]\.env\[1\]\.value \("OPENAI_API_KEY"\) .*secretRef/,
    },
};

function describeDiagnostics(ds: Diagnostic[]): string {
    return JSON.stringify(ds.map((d) => ({ policy: d.policyName, urn: d.urn, level: d.enforcementLevel })));
}

describe(`${POLICY} (end to end through the checker)`, function () {
    this.timeout(600000);
    const openaiKey = fake.openai();
    const results = new Map<string, RunCheckResult>();

    before(async () => {
        const jobs: [string, string][] = [];
        for (const mode of MODES) for (const p of PROVIDERS) for (const which of ["good", "bad"]) jobs.push([`${p}-${which}`, mode]);
        // Two at a time: the machine has two cores.
        for (let i = 0; i < jobs.length; i += 2) {
            const pair = jobs.slice(i, i + 2);
            const rs = await Promise.all(pair.map(([program, mode]) =>
                runCheck(path.join(dir, program), { mode: mode as "preview" | "update", secrets: { openaiKey }, timeoutMs: 240000 })));
            pair.forEach(([program, mode], j) => results.set(`${program}/${mode}`, rs[j]));
        }
    });

    for (const mode of MODES) {
        for (const p of PROVIDERS) {
            it(`${p} good program: the secret through the cloud's reference mechanism, no diagnostics from any policy (${mode})`, () => {
                const r = results.get(`${p}-good/${mode}`)!;
                assert.ok(r.report, `no report; exit ${r.exitCode}; stderr tail: ${r.stderr.slice(-800)}`);
                assert.ok(r.report.resources.length >= 3, "the program registered its resources");
                assert.deepStrictEqual(r.report.diagnostics, [], describeDiagnostics(r.report.diagnostics));
                assert.strictEqual(r.exitCode, 0);
            });

            it(`${p} bad program: one advisory finding per plaintext field, naming it and the mechanism to use (${mode})`, () => {
                const r = results.get(`${p}-bad/${mode}`)!;
                assert.ok(r.report, `no report; exit ${r.exitCode}; stderr tail: ${r.stderr.slice(-800)}`);
                const ds = r.report.diagnostics;
                const others = ds.filter((d) => d.policyName !== POLICY);
                assert.deepStrictEqual(others, [], `other policies fired: ${describeDiagnostics(others)}`);
                const project = `cloudfields-${p}-bad`;
                const got = ds.map((d) => d.urn!.split("::").slice(-2).join("::")).sort();
                assert.deepStrictEqual(got, Object.keys(EXPECTED[p]).sort(), describeDiagnostics(ds));
                for (const d of ds) {
                    assert.strictEqual(d.enforcementLevel, "advisory");
                    assert.ok(d.urn!.startsWith(`urn:pulumi:dev::${project}::`));
                    assert.match(d.message, EXPECTED[p][d.urn!.split("::").slice(-2).join("::")]);
                    assert.match(d.message, /holds secret config 'cloudfields-[a-z]+-bad:openaiKey'/);
                }
                assert.strictEqual(r.exitCode, 0, "advisory findings do not fail the check");
            });

            it(`${p}: never prints the secret (${mode})`, () => {
                for (const which of ["good", "bad"]) {
                    const r = results.get(`${p}-${which}/${mode}`)!;
                    assertNoLeak(r.stdout, openaiKey);
                    assertNoLeak(r.stderr, openaiKey);
                }
            });
        }
    }

    describe("policy config: the normal enforcement level makes it mandatory; the allowlist takes URN and path globs", () => {
        const runs = new Map<string, RunCheckResult>();
        before(async () => {
            const dir2 = fs.mkdtempSync(path.join(os.tmpdir(), "mlsg-cf-"));
            const write = (name: string, doc: unknown) => {
                const f = path.join(dir2, `${name}.json`);
                fs.writeFileSync(f, JSON.stringify(doc));
                return f;
            };
            const mandatory = write("mandatory", { [POLICY]: { enforcementLevel: "mandatory" } });
            const allow = write("allow", { [POLICY]: { allowlist: [
                { urn: "*::aws:lambda/function:Function::inference", path: "environment.variables.*", reason: "test: accepted on purpose" },
                { urn: "*::aws:ec2/launchTemplate:LaunchTemplate::*", reason: "test: accepted on purpose" },
            ] } });
            const [m, a] = await Promise.all([
                runCheck(path.join(dir, "aws-bad"), { mode: "preview", secrets: { openaiKey }, policyConfig: mandatory, timeoutMs: 240000 }),
                runCheck(path.join(dir, "aws-bad"), { mode: "preview", secrets: { openaiKey }, policyConfig: allow, timeoutMs: 240000 }),
            ]);
            runs.set("mandatory", m);
            runs.set("allow", a);
        });

        it("enforcementLevel mandatory: the same findings, mandatory, and the check fails", () => {
            const r = runs.get("mandatory")!;
            assert.ok(r.report, r.stderr.slice(-800));
            assert.strictEqual(r.report.diagnostics.length, 3, describeDiagnostics(r.report.diagnostics));
            assert.ok(r.report.diagnostics.every((d) => d.policyName === POLICY && d.enforcementLevel === "mandatory"));
            assert.strictEqual(r.exitCode, 1);
        });

        it("allowlisted resources and paths are not reported; the rest is", () => {
            const r = runs.get("allow")!;
            assert.ok(r.report, r.stderr.slice(-800));
            assert.deepStrictEqual(r.report.diagnostics.map((d) => d.urn!.split("::").slice(-2).join("::")), ["aws:ecs/taskDefinition:TaskDefinition::api"]);
            for (const x of runs.values()) {
                assertNoLeak(x.stdout, openaiKey);
                assertNoLeak(x.stderr, openaiKey);
            }
        });
    });
});
