import * as assert from "assert";
import { normalizeLevel, parseEvents } from "../../checker/events";
import { formatReport } from "../../checker/format";
import { assertNoLeak, fake } from "../helpers/secrets";

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
    const { report, skippedLines } = parseEvents(stream(planted));

    it("counts the lines that are not JSON objects", () => {
        assert.strictEqual(skippedLines, 4);
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
