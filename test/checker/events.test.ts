import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { normalizeLevel, parseEvents } from "../../checker/events";
import { changedProperties, remediationMessage } from "../../checker/remediation";
import { formatReport } from "../../checker/format";
import { repoRoot } from "../helpers/check";
import { assertNoLeak, fake } from "../helpers/secrets";
import { SECRET_SIG, SIG_KEY } from "../../policies/lib/wire";

// Event lines in the shape of pulumi/pulumi sdk/go/common/apitype/events.go (EngineEvent and its members).
const STACK_URN = "urn:pulumi:dev::ml-pipeline::pulumi:pulumi:Stack::ml-pipeline-dev";
const FN_URN = "urn:pulumi:dev::ml-pipeline::aws:lambda/function:Function::inference";
const BUCKET_URN = "urn:pulumi:dev::ml-pipeline::aws:s3/bucket:Bucket::training-data";

function step(seq: number, urn: string, type: string) {
    return {
        sequence: seq,
        timestamp: 1700000000 + seq,
        resourcePreEvent: {
            metadata: { op: "create", urn, type, old: null, new: { type, urn, id: "", parent: "", inputs: {}, outputs: {}, provider: "" }, detailedDiff: null, provider: "" },
            planning: true,
        },
    };
}

function policy(seq: number, fields: Record<string, unknown>) {
    return {
        sequence: seq,
        timestamp: 1700000000 + seq,
        policyEvent: {
            message: "",
            color: "never",
            policyPackName: "ml-secrets-guard",
            policyPackVersion: "0.1.0",
            policyPackVersionTag: "0.1.0",
            ...fields,
        },
    };
}

function stream(planted: string): string {
    const lines = [
        JSON.stringify({ sequence: 0, timestamp: 1700000000, cancelEvent: undefined, preludeEvent: { config: { "ml-pipeline:openaiKey": planted, "aws:region": "us-east-1" } } }),
        "warning: this line is not JSON",
        JSON.stringify(step(1, STACK_URN, "pulumi:pulumi:Stack")),
        JSON.stringify(step(2, FN_URN, "aws:lambda/function:Function")),
        JSON.stringify(policy(3, {
            resourceUrn: FN_URN,
            message: "<{%fg 1%}>Hard-coded OpenAI API key in environment.variables.OPENAI_API_KEY (sk-p…, 56 chars, redacted).<{%reset%}>\nRead it from config instead.",
            policyName: "no-hardcoded-secrets",
            enforcementLevel: "mandatory",
            severity: "critical",
        })),
        JSON.stringify({ sequence: 4, timestamp: 1700000004, policyAnalyzeSummaryEvent: { resourceUrn: FN_URN, policyPackName: "ml-secrets-guard", policyPackVersion: "0.1.0", policyPackVersionTag: "0.1.0", passed: ["vault-provider-tls"], failed: ["no-hardcoded-secrets"] } }),
        "[1, 2, 3]",
        "null",
        "",
        JSON.stringify(step(5, BUCKET_URN, "aws:s3/bucket:Bucket")),
        JSON.stringify(step(6, BUCKET_URN, "aws:s3/bucket:Bucket")), // a second event for the same resource
        JSON.stringify(policy(7, {
            message: "Stack output `hfToken` exports a secret in plaintext.",
            policyName: "no-plaintext-secret-exports",
            enforcementLevel: "warning",
        })),
        JSON.stringify(policy(8, {
            resourceUrn: BUCKET_URN,
            message: "Bucket policy note.",
            policyName: "other-rule",
            policyPackName: "corp-baseline",
            policyPackVersion: "2.0.0",
            enforcementLevel: "advisory",
        })),
        JSON.stringify({ sequence: 9, timestamp: 1700000009, summaryEvent: { maybeCorrupt: false, durationSeconds: 3, resourceChanges: { create: 3 }, PolicyPacks: { "ml-secrets-guard": "v0.1.0", "corp-baseline": "v2.0.0" }, isPreview: true } }),
        '{"truncated": ',
    ];
    return lines.join("\n") + "\n";
}

describe("checker/events", () => {
    const planted = fake.openai();
    const { report, skippedLines, events, malformedLines } = parseEvents(stream(planted));

    it("counts the lines that are not JSON objects, and names the one cut off mid-object", () => {
        assert.strictEqual(skippedLines, 3);
        assert.deepStrictEqual(malformedLines, [15]);
        assert.strictEqual(events, 10);
    });

    it("collects resources once each, in event order, with type and name", () => {
        assert.deepStrictEqual(report.resources, [
            { urn: STACK_URN, type: "pulumi:pulumi:Stack", name: "ml-pipeline-dev" },
            { urn: FN_URN, type: "aws:lambda/function:Function", name: "inference" },
            { urn: BUCKET_URN, type: "aws:s3/bucket:Bucket", name: "training-data" },
        ]);
    });

    it("turns policy events into diagnostics, stack-wide ones without a URN", () => {
        assert.strictEqual(report.diagnostics.length, 3);
        const [fn, stackWide, other] = report.diagnostics;
        assert.deepStrictEqual(fn, {
            policyName: "no-hardcoded-secrets",
            policyPackName: "ml-secrets-guard",
            policyPackVersion: "0.1.0",
            enforcementLevel: "mandatory",
            severity: "critical",
            urn: FN_URN,
            message: "Hard-coded OpenAI API key in environment.variables.OPENAI_API_KEY (sk-p…, 56 chars, redacted).\nRead it from config instead.",
            phase: "analyze",
        });
        assert.strictEqual(stackWide.urn, undefined);
        assert.strictEqual(stackWide.phase, "analyzeStack");
        assert.strictEqual(stackWide.enforcementLevel, "advisory"); // "warning" is the engine's old name
        assert.strictEqual(other.policyPackName, "corp-baseline");
    });

    it("takes stack, project, mode and the pack from the events", () => {
        assert.strictEqual(report.stack, "dev");
        assert.strictEqual(report.project, "ml-pipeline");
        assert.strictEqual(report.mode, "preview");
        assert.strictEqual(report.pack.name, "ml-secrets-guard");
        assert.strictEqual(report.pack.version, "0.1.0");
        assert.deepStrictEqual(
            report.pack.policies.map((p) => p.name),
            ["no-hardcoded-secrets", "vault-provider-tls", "no-plaintext-secret-exports"],
        );
    });

    it("never carries config values from the prelude into the report or its renderings", () => {
        const all = JSON.stringify(report) + ["text", "json", "sarif", "junit"].map((f) => formatReport(report, f as "text")).join("");
        assertNoLeak(all, planted);
        assert.ok(!all.includes("us-east-1"));
    });

    it("renders with formatReport", () => {
        const text = formatReport(report, "text");
        assert.match(text, /ml-secrets-guard: 1 mandatory, 2 advisory violations across 3 resources \(preview\)\n$/);
        assert.ok(text.includes("aws:lambda/function:Function  inference"));
    });

    it("reads an update (isPreview false) and an empty stream", () => {
        const up = parseEvents(JSON.stringify({ sequence: 1, timestamp: 1, summaryEvent: { isPreview: false, PolicyPacks: {} } }));
        assert.strictEqual(up.report.mode, "update");
        const none = parseEvents("");
        assert.strictEqual(none.skippedLines, 0);
        assert.strictEqual(none.report.diagnostics.length, 0);
        assert.strictEqual(none.report.pack.name, "ml-secrets-guard");
    });

    it("normalizes enforcement levels", () => {
        assert.strictEqual(normalizeLevel("mandatory"), "mandatory");
        assert.strictEqual(normalizeLevel("remediate"), "remediate");
        assert.strictEqual(normalizeLevel("none"), "disabled");
        assert.strictEqual(normalizeLevel("disabled"), "disabled");
        assert.strictEqual(normalizeLevel("advisory"), "advisory");
        assert.strictEqual(normalizeLevel(undefined), "advisory");
    });
});

// Recorded-shape streams in test/fixtures/events (engine event shapes of pulumi/pulumi apitype/events.go).
const FIXTURES = path.join(repoRoot(), "test", "fixtures", "events");
const P = "urn:pulumi:dev::ml-pipeline::";
const ROOT = `${P}pulumi:pulumi:Stack::ml-pipeline-dev`;
const KEY = `${P}aws:kms/key:Key::model-key`;
const LAMBDA = `${P}aws:lambda/function:Function::inference`;
const fixture = (name: string) => parseEvents(fs.readFileSync(path.join(FIXTURES, name), "utf8"));
const countsOf = (r: ReturnType<typeof parseEvents>["report"]) =>
    Object.fromEntries((r.policyCounts ?? []).map((c) => [`${c.policyPackName}/${c.policyName}`, c]));

describe("checker/events: preview with policy summary and remediation events", () => {
    const parsed = fixture("preview-summaries.jsonl");
    const { report } = parsed;

    it("skips the CLI's plain-text lines and reads every event", () => {
        assert.strictEqual(parsed.skippedLines, 3);
        assert.deepStrictEqual(parsed.malformedLines, []);
        assert.strictEqual(parsed.events, 20);
    });

    it("shows the remediation: policy, resource and the changed properties, at level remediate", () => {
        const rem = report.diagnostics.filter((d) => d.phase === "remediate");
        assert.strictEqual(rem.length, 1);
        assert.strictEqual(rem[0].policyName, "kms-rotation-default");
        assert.strictEqual(rem[0].policyPackName, "corp-baseline");
        assert.strictEqual(rem[0].urn, KEY);
        assert.strictEqual(rem[0].enforcementLevel, "remediate");
        assert.match(rem[0].message, /properties changed: enableKeyRotation, rotationPeriodInDays\)/);
        const text = formatReport(report, "text");
        assert.match(text, /aws:kms\/key:Key {2}model-key\n.*\n {4}\[remediate\] kms-rotation-default\n {8}remediated by the policy pack/);
        assert.doesNotMatch(text, /No policy violations/);
    });

    it("gives per-policy pass and fail counts that add up to policies x resources", () => {
        assert.strictEqual(report.resources.length, 4);
        const c = countsOf(report);
        const pick = (k: string) => [c[k].passed, c[k].failed, c[k].remediated, c[k].notReported];
        assert.deepStrictEqual(pick("ml-secrets-guard/no-hardcoded-secrets"), [3, 1, 0, 0]);
        assert.deepStrictEqual(pick("ml-secrets-guard/aws-kms-key-rotation"), [1, 0, 0, 3]);
        assert.deepStrictEqual(pick("corp-baseline/kms-rotation-default"), [0, 0, 1, 3]);
        assert.deepStrictEqual(pick("ml-secrets-guard/no-plaintext-secret-exports"), [0, 1, 0, 3]);
        const counts = report.policyCounts!;
        const total = counts.reduce((n, x) => n + x.passed! + x.failed + x.remediated + x.notReported!, 0);
        assert.strictEqual(total, counts.length * report.resources.length);
        for (const x of counts) assert.strictEqual(x.resources, report.resources.length);
    });

    it("renders the counts in text and JSON", () => {
        const text = formatReport(report, "text");
        assert.match(text, /Policies \(outcome per resource, from the engine's policy summary events\):\n/);
        assert.match(text, /\n {4}no-hardcoded-secrets: 3 passed, 1 failed of 4 resources\n/);
        assert.match(text, /\n {4}aws-kms-key-rotation: 1 passed, 0 failed, 3 not reported of 4 resources\n/);
        assert.match(text, /\n {4}corp-baseline\/kms-rotation-default: 0 passed, 0 failed, 1 remediated, 3 not reported of 4 resources\n/);
        assert.match(text, /1 mandatory, 1 advisory, 1 remediate violations across 4 resources \(preview\)\n$/);
        const doc = JSON.parse(formatReport(report, "json"));
        assert.deepStrictEqual(doc.policyCounts.find((x: any) => x.policyName === "no-hardcoded-secrets"), {
            policyName: "no-hardcoded-secrets", policyPackName: "ml-secrets-guard",
            passed: 3, failed: 1, remediated: 0, notReported: 0, resources: 4,
        });
        assert.strictEqual(doc.summary.resources, 4);
    });
});

describe("checker/events: other streams", () => {
    it("pulumi policy analyze --json: resources from the URNs of policy events, passes unknown, remediation shown", () => {
        const { report, skippedLines, malformedLines } = fixture("policy-analyze.jsonl");
        assert.strictEqual(skippedLines, 0);
        assert.deepStrictEqual(malformedLines, []);
        assert.deepStrictEqual(report.resources.map((r) => r.urn), [LAMBDA, KEY, ROOT]);
        assert.strictEqual(report.mode, "update");
        assert.deepStrictEqual(report.diagnostics.map((d) => `${d.policyName} ${d.enforcementLevel}`),
            ["no-hardcoded-secrets mandatory", "kms-rotation-default remediate", "no-plaintext-secret-exports advisory"]);
        const c = countsOf(report);
        assert.deepStrictEqual(c["ml-secrets-guard/no-hardcoded-secrets"],
            { policyName: "no-hardcoded-secrets", policyPackName: "ml-secrets-guard", passed: null, failed: 1, remediated: 0, notReported: null, resources: 3 });
        const text = formatReport(report, "text");
        assert.match(text, /Policies \(failures only: the stream has no policy summary events, so passes are unknown\):\n {4}no-hardcoded-secrets: 1 failed of 3 resources\n/);
        assert.match(text, /across 3 resources \(update\)\n$/);
    });

    it("pulumi up --json that failed: resources from step, failure and diagnostic events, an update with no violation", () => {
        const { report, skippedLines, malformedLines, events } = fixture("update-failed.jsonl");
        assert.deepStrictEqual([skippedLines, malformedLines.length, events], [0, 0, 12]);
        assert.strictEqual(report.mode, "update");
        assert.strictEqual(report.stack, "prod");
        assert.deepStrictEqual(report.resources.map((r) => `${r.type} ${r.name}`), [
            "pulumi:pulumi:Stack ml-pipeline-prod", "aws:s3/bucketV2:BucketV2 training-data",
            "aws:secretsmanager/secret:Secret hf-token",
        ]);
        assert.deepStrictEqual(report.diagnostics, []);
        assert.deepStrictEqual(report.policyCounts!.map((c) => [c.policyName, c.passed, c.failed, c.notReported]),
            [["no-hardcoded-secrets", 2, 0, 1]]);
        assert.match(formatReport(report, "text"), /No policy violations\.[\s\S]*no-hardcoded-secrets: 2 passed, 0 failed, 1 not reported of 3 resources/);
    });

    it("a stream cut off mid-line: the events before it are read, the cut line is named", () => {
        const { report, malformedLines, events } = fixture("truncated.jsonl");
        assert.deepStrictEqual(malformedLines, [6]);
        assert.strictEqual(events, 5);
        assert.strictEqual(report.diagnostics.length, 1);
        assert.strictEqual(report.diagnostics[0].enforcementLevel, "mandatory");
    });

    it("counts a resource named only by a diagnostic or policy event, not by step events", () => {
        const lines = [
            { sequence: 1, timestamp: 1, diagnosticEvent: { urn: KEY, message: "warning: deprecated", color: "raw", severity: "warning" } },
            { sequence: 2, timestamp: 1, policyEvent: { resourceUrn: LAMBDA, message: "m", color: "raw", policyName: "p", policyPackName: "ml-secrets-guard", policyPackVersion: "0.1.0", policyPackVersionTag: "0.1.0", enforcementLevel: "advisory" } },
            { sequence: 3, timestamp: 1, policyAnalyzeSummaryEvent: { resourceUrn: ROOT, policyPackName: "ml-secrets-guard", policyPackVersion: "0.1.0", policyPackVersionTag: "0.1.0", passed: ["p"] } },
            { sequence: 4, timestamp: 1, diagnosticEvent: { message: "no urn", color: "raw", severity: "info" } },
            { sequence: 5, timestamp: 1, policyEvent: { resourceUrn: "not-a-urn", message: "m", color: "raw", policyName: "p", policyPackName: "ml-secrets-guard", policyPackVersion: "0.1.0", policyPackVersionTag: "0.1.0", enforcementLevel: "advisory" } },
        ].map((l) => JSON.stringify(l)).join("\n");
        const { report } = parseEvents(lines);
        assert.deepStrictEqual(report.resources.map((r) => `${r.type} ${r.name}`),
            ["aws:kms/key:Key model-key", "aws:lambda/function:Function inference", "pulumi:pulumi:Stack ml-pipeline-dev"]);
        assert.match(formatReport(report, "text"), /across 3 resources/);
    });

    it("never shows a remediation's values, secret or not", () => {
        const planted = fake.huggingFace();
        const plain = fake.password();
        const sig = { [SIG_KEY]: SECRET_SIG };
        const ev = {
            sequence: 1, timestamp: 1,
            policyRemediationEvent: {
                resourceUrn: LAMBDA, color: "raw", policyName: "strip-inline-tokens", policyPackName: "corp-baseline",
                policyPackVersion: "1.2.0", policyPackVersionTag: "1.2.0",
                before: { environment: { variables: { HF_TOKEN: planted, DB: { ...sig, ciphertext: "[secret]" } } }, handler: plain },
                after: { environment: { variables: { DB: { ...sig, ciphertext: "[secret]" } } }, handler: plain },
            },
        };
        const { report } = parseEvents(JSON.stringify(ev));
        assert.strictEqual(report.diagnostics.length, 1);
        assert.match(report.diagnostics[0].message, /properties changed: environment\)/);
        const all = JSON.stringify(report) + ["text", "json", "sarif", "junit"].map((f) => formatReport(report, f as "text")).join("");
        assertNoLeak(all, planted);
        assertNoLeak(all, plain);
    });
});

describe("checker/remediation", () => {
    it("names the top-level properties added, removed or changed, whatever the key order inside a value", () => {
        assert.deepStrictEqual(changedProperties(
            { a: 1, b: { x: 1, y: [1, 2] }, c: "same", d: null, gone: true },
            { a: 2, b: { y: [1, 2], x: 1 }, c: "same", d: null, added: 0 },
        ), ["a", "added", "gone"]);
        assert.deepStrictEqual(changedProperties({ tags: { a: "1" } }, { tags: { a: "1", b: "2" } }), ["tags"]);
        assert.deepStrictEqual(changedProperties({}, {}), []);
        assert.strictEqual(remediationMessage([]), "remediated by the policy pack (properties changed: none); the program as written does not comply");
    });

    it("a disabled policy's events count as no failure", () => {
        const ev = { sequence: 1, timestamp: 1, policyEvent: { resourceUrn: KEY, message: "m", color: "raw", policyName: "p",
            policyPackName: "ml-secrets-guard", policyPackVersion: "0.1.0", policyPackVersionTag: "0.1.0", enforcementLevel: "none" } };
        const { report } = parseEvents(JSON.stringify(ev));
        assert.deepStrictEqual(report.policyCounts, []);
        assert.match(formatReport(report, "text"), /No policy violations/);
    });
});
