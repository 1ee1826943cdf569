// Fingerprints, --baseline, --fail-on, and locations in every report format, on an in-memory report.
import * as assert from "assert";
import Ajv from "ajv";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { applyBaseline, BaselineError, parseBaseline } from "../../checker/baseline";
import { exitCodeFor, finishReport } from "../../checker/check";
import { assignFingerprints } from "../../checker/fingerprint";
import { formatReport } from "../../checker/format";
import { parseJsonReport } from "../../checker/format/json";
import { CheckReport, Diagnostic } from "../../checker/types";
import { repoRoot } from "../helpers/check";
import { report, URNS } from "./format/report-fixture";

const T = "aws:lambda/function:Function";
const hardcoded = (prop: string, shown: string) =>
    `Secrets must not be hard-coded.\n${T} 'inference' property ${prop} holds a hard-coded secret (detector: openai): ${shown}. Move it.`;

/** The fixture report with a property finding, an export finding and locations, as the checker builds it. */
function located(): CheckReport {
    const r = report();
    r.programDir = "/repo/examples/ml-stack";
    r.diagnostics[3].message = hardcoded("environment.variables.OPENAI_API_KEY", "sk-p… (56 chars)");
    r.diagnostics[3].location = { file: "index.ts", line: 12, column: 9 };
    r.diagnostics[0].message = "Desc.\nstack export 'hfToken' will be exported in plaintext.";
    r.diagnostics[0].location = { file: "index.ts", line: 30, column: 14 };
    r.diagnostics[1].location = { file: "src/trainer.ts", line: 7, column: 5 };
    return r;
}

function fps(r: CheckReport): string[] {
    return r.diagnostics.map((d) => d.fingerprint!);
}

describe("checker/fingerprint", () => {
    it("is stable, distinct per finding, and independent of the message's secret material and of the mode", () => {
        const a = located();
        assignFingerprints(a);
        assert.strictEqual(new Set(fps(a)).size, a.diagnostics.length);
        for (const f of fps(a)) assert.match(f, /^[0-9a-f]{32}$/);
        const b = located();
        b.mode = "update";
        b.diagnostics[3].message = hardcoded("environment.variables.OPENAI_API_KEY", "sk-p… (51 chars)");
        b.diagnostics[0].message = "Desc.\nstack export 'hfToken' will be exported in plaintext (known after the update).";
        b.diagnostics.reverse();
        assignFingerprints(b);
        assert.deepStrictEqual([...fps(a)].sort(), [...fps(b)].sort());
    });

    it("changes with the property path, the URN and the policy", () => {
        const base = located();
        assignFingerprints(base);
        const other = located();
        other.diagnostics[3].message = hardcoded("environment.variables.HF_TOKEN", "sk-p… (56 chars)");
        assignFingerprints(other);
        assert.notStrictEqual(other.diagnostics[3].fingerprint, base.diagnostics[3].fingerprint);
        const moved = located();
        moved.diagnostics[2].urn = URNS.bucket;
        assignFingerprints(moved);
        assert.notStrictEqual(moved.diagnostics[2].fingerprint, base.diagnostics[2].fingerprint);
        assert.strictEqual(moved.diagnostics[1].fingerprint, base.diagnostics[1].fingerprint);
    });
});

describe("checker/baseline and --fail-on", () => {
    it("accepts the baseline's findings, fails on new ones, lists fixed ones", () => {
        const first = located();
        assignFingerprints(first);
        const baseline = parseBaseline(formatReport(first, "json"));
        assert.strictEqual(baseline.size, 4);

        const same = located();
        assignFingerprints(same);
        applyBaseline(same, baseline);
        assert.ok(same.diagnostics.every((d) => d.baselined));
        assert.deepStrictEqual(same.fixed, []);
        assert.strictEqual(exitCodeFor(same), 0);

        const next = located();
        next.diagnostics.splice(2, 1); // the kms finding is fixed
        next.diagnostics.push({ ...next.diagnostics[2], message: hardcoded("environment.variables.NEW_KEY", "sk-p… (56 chars)"), location: { file: "index.ts", line: 13, column: 9 } });
        assignFingerprints(next);
        applyBaseline(next, baseline);
        assert.deepStrictEqual(next.diagnostics.map((d) => d.baselined), [true, true, true, false]);
        assert.strictEqual(exitCodeFor(next), 1);
        assert.deepStrictEqual(next.fixed!.map((f) => f.policyName), ["kms-encrypted-secrets"]);
        const text = formatReport(next, "text");
        assert.match(text, /index\.ts:13:9 \[mandatory\] no-hardcoded-secrets \(severity: critical\)\n/);
        assert.match(text, /index\.ts:12:9 \[mandatory\] no-hardcoded-secrets \(severity: critical\) \(baselined\)/);
        assert.match(text, /Fixed since the baseline \(1\):\n {4}kms-encrypted-secrets {2}urn:pulumi:dev::ml-pipeline::aws:secretsmanager/);
        assert.match(text, /; 3 baselined, 1 fixed\n$/);
        const sarif = JSON.parse(formatReport(next, "sarif", { repoRoot: "/repo" }));
        assert.deepStrictEqual(sarif.runs[0].results.map((x: { baselineState: string }) => x.baselineState).sort(), ["new", "unchanged", "unchanged", "unchanged"]);
        const junit = formatReport(next, "junit");
        assert.strictEqual((junit.match(/<failure\b/g) ?? []).length, 1, junit);
    });

    it("--fail-on: mandatory by default, advisory includes advisories, none never fails; remediations never fail", () => {
        const r = located();
        r.diagnostics = r.diagnostics.filter((d) => d.enforcementLevel === "advisory");
        assert.strictEqual(exitCodeFor(r), 0);
        assert.strictEqual(exitCodeFor(r, "advisory"), 1);
        assert.strictEqual(exitCodeFor(located(), "none"), 0);
        const rem = located();
        for (const d of rem.diagnostics) d.enforcementLevel = "remediate";
        assert.strictEqual(exitCodeFor(rem, "advisory"), 0);
    });

    it("rejects a file that is not a report with fingerprints, with a clear message", () => {
        assert.throws(() => parseBaseline("{", "baseline b.json"), (e: Error) => e instanceof BaselineError && /b\.json is not JSON/.test(e.message));
        assert.throws(() => parseBaseline('{"runs":[]}'), /no diagnostics list/);
        assert.throws(() => parseBaseline('{"diagnostics":[{"policyName":"x"}]}'), /diagnostics\[0\] has no fingerprint/);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mlsg-bl-"));
        try {
            assert.throws(() => finishReport(located(), { baselinePath: path.join(dir, "none.json") }), /cannot read baseline/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("checker/format: locations in every format", () => {
    const r = located();
    assignFingerprints(r);

    it("text: file:line:column before the finding", () => {
        const text = formatReport(r, "text");
        assert.match(text, /\n {4}index\.ts:12:9 \[mandatory\] no-hardcoded-secrets/);
        assert.match(text, /\n {4}src\/trainer\.ts:7:5 \[mandatory\] no-hardcoded-secrets/);
        assert.match(text, /\n {4}\[advisory\] kms-encrypted-secrets/); // no location known
    });

    it("json: location and fingerprint on each diagnostic", () => {
        const doc = JSON.parse(formatReport(r, "json"));
        const hard = doc.diagnostics.find((d: { urn: string }) => d.urn === URNS.lambda);
        assert.deepStrictEqual(hard.location, { file: "index.ts", line: 12, column: 9 });
        assert.strictEqual(hard.fingerprint, r.diagnostics[3].fingerprint);
        assert.strictEqual(doc.diagnostics.find((d: { urn: string }) => d.urn === URNS.secret).location, null);
    });

    it("sarif: repository-relative uri, region and partialFingerprints; validates against SARIF 2.1.0", () => {
        const log: any = JSON.parse(formatReport(r, "sarif", { repoRoot: "/repo" }));
        const schema = JSON.parse(fs.readFileSync(path.join(repoRoot(), "test", "schemas", "sarif-2.1.0.json"), "utf8"));
        const ajv = new Ajv({ strict: false, validateFormats: false });
        const validate = ajv.compile(schema);
        assert.ok(validate(log as object), JSON.stringify(validate.errors));
        const res = log.runs[0].results;
        const hard = res.find((x: any) => x.locations[0].logicalLocations[0].fullyQualifiedName === URNS.lambda);
        assert.deepStrictEqual(hard.locations[0].physicalLocation, {
            artifactLocation: { uri: "examples/ml-stack/index.ts", uriBaseId: "%SRCROOT%" },
            region: { startLine: 12, startColumn: 9 },
        });
        assert.strictEqual(hard.partialFingerprints["mlSecretsGuardFinding/v1"], r.diagnostics[3].fingerprint);
        const job = res.find((x: any) => x.locations[0].logicalLocations[0].fullyQualifiedName === URNS.job);
        assert.strictEqual(job.locations[0].physicalLocation.artifactLocation.uri, "examples/ml-stack/src/trainer.ts");
        assert.strictEqual(res.some((x: any) => "baselineState" in x), false, "no baselineState without --baseline");
    });

    it("json: parseJsonReport reads back what formatJson wrote", () => {
        const back = parseJsonReport(formatReport(r, "json"));
        const key = (d: Diagnostic) => JSON.stringify([d.policyName, d.enforcementLevel, d.urn ?? null, d.message, d.location ?? null, d.fingerprint]);
        assert.deepStrictEqual(back.diagnostics.map(key).sort(), r.diagnostics.map(key).sort());
        assert.strictEqual(back.diagnostics.find((d) => !d.urn)?.phase, "analyzeStack");
    });

    it("junit: file and line on the test case", () => {
        const xml = formatReport(r, "junit");
        assert.match(xml, /<testcase classname="ml-secrets-guard\.no-hardcoded-secrets" name="aws:lambda\/function:Function::inference" file="[^"]*examples\/ml-stack\/index\.ts" line="12"/);
    });
});
