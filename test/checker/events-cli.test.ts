// `ml-secrets-guard events` end to end, as a child process: engine event lines (the shape of pulumi/pulumi
// sdk/go/common/apitype/events.go, as `PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true pulumi preview --json` streams them)
// on stdin, a report on stdout, the exit status CI gates on.
import * as assert from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { repoRoot } from "../helpers/check";
import { assertNoLeak, fake } from "../helpers/secrets";

const CLI = path.join(repoRoot(), "dist", "checker", "cli.js");
const STACK_URN = "urn:pulumi:dev::ml-pipeline::pulumi:pulumi:Stack::ml-pipeline-dev";
const PROVIDER_URN = "urn:pulumi:dev::ml-pipeline::pulumi:providers:vault::vault";
const SECRET_URN = "urn:pulumi:dev::ml-pipeline::vault:generic/secret:Secret::apiKeySecret";

interface Result {
    code: number;
    stdout: string;
    stderr: string;
}

function events(args: string[], stdin: string): Promise<Result> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [CLI, "events", ...args], { stdio: ["pipe", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        const timer = setTimeout(() => child.kill("SIGKILL"), 30000);
        child.on("error", reject);
        child.on("close", (code) => {
            clearTimeout(timer);
            resolve({ code: code ?? -1, stdout, stderr });
        });
        child.stdin.end(stdin);
    });
}

let seq = 0;
const ev = (body: Record<string, unknown>) => JSON.stringify({ sequence: seq++, timestamp: 1767225600 + seq, ...body });

function pre(urn: string, type: string) {
    return ev({
        resourcePreEvent: {
            metadata: { op: "create", urn, type, old: null, new: { type, urn, inputs: {}, outputs: {} }, provider: "" },
            planning: true,
        },
    });
}

function policyEvent(fields: Record<string, unknown>) {
    return ev({
        policyEvent: {
            color: "raw",
            policyPackName: "ml-secrets-guard",
            policyPackVersion: "0.1.0",
            policyPackVersionTag: "0.1.0",
            ...fields,
        },
    });
}

const MANDATORY = policyEvent({
    resourceUrn: SECRET_URN,
    message: "<{%fg 1%}>Secrets must not be hard-coded in resource inputs or provider configuration.\n" +
        "vault:generic/secret:Secret 'apiKeySecret' property dataJson{json}.api_key holds a hard-coded secret (detector: placeholder, committed placeholder): supe… (20 chars).<{%reset%}>",
    policyName: "no-hardcoded-secrets",
    enforcementLevel: "mandatory",
});
const ADVISORY = policyEvent({
    resourceUrn: PROVIDER_URN,
    message: "Vault providers must connect to Vault over https (plain http only to a loopback address).\n" +
        "Vault provider 'vault' connects to a non-loopback Vault address over plain http:// (property address).",
    policyName: "vault-provider-tls",
    enforcementLevel: "advisory",
});

function stream(planted: string, policies: string[]): string {
    seq = 0;
    return [
        ev({ preludeEvent: { config: { "ml-pipeline:apiKey": planted, "vault:address": "http://your-vault-server:8200" } } }),
        "Previewing update (dev):",
        pre(STACK_URN, "pulumi:pulumi:Stack"),
        pre(PROVIDER_URN, "pulumi:providers:vault"),
        pre(SECRET_URN, "vault:generic/secret:Secret"),
        ...policies,
        "  - the CLI prints plain text like this line too",
        ev({ policyAnalyzeStackSummaryEvent: { policyPackName: "ml-secrets-guard", policyPackVersion: "0.1.0", passed: ["no-plaintext-secret-exports"] } }),
        ev({ diagnosticEvent: { urn: SECRET_URN, message: "a diagnostic, not a policy event", color: "raw", severity: "info" } }),
        ev({
            summaryEvent: {
                maybeCorrupt: false, durationSeconds: 3, resourceChanges: { create: 3 },
                PolicyPacks: { "ml-secrets-guard": "0.1.0" }, isPreview: true,
            },
        }),
        "",
    ].join("\n");
}

describe("events: engine events on stdin rendered for CI", function () {
    this.timeout(60000);
    const planted = fake.openai();

    it("text: both findings grouped by resource, exit 1 for the mandatory one, noise counted, config never shown", async () => {
        const r = await events([], stream(planted, [MANDATORY, ADVISORY]));
        assert.strictEqual(r.code, 1, r.stderr);
        assert.match(r.stdout, /no-hardcoded-secrets/);
        assert.match(r.stdout, /vault-provider-tls/);
        assert.match(r.stdout, /apiKeySecret/);
        assert.doesNotMatch(r.stdout, /<\{%/, "colour directives are stripped");
        assert.match(r.stdout, /1 mandatory, 1 advisory/);
        assert.match(r.stderr, /skipped 2 line\(s\)/);
        assertNoLeak(r.stdout + r.stderr, planted);
    });

    it("json: the report lists exactly the two policy events with their levels and resources", async () => {
        const r = await events(["--format", "json"], stream(planted, [MANDATORY, ADVISORY]));
        assert.strictEqual(r.code, 1, r.stderr);
        const doc = JSON.parse(r.stdout);
        const got = doc.diagnostics.map((d: any) => `${d.policyName} ${d.enforcementLevel} ${d.urn}`).sort();
        assert.deepStrictEqual(got, [`no-hardcoded-secrets mandatory ${SECRET_URN}`, `vault-provider-tls advisory ${PROVIDER_URN}`]);
        assert.strictEqual(doc.mode, "preview");
        assert.strictEqual(doc.stack, "dev");
        assert.strictEqual(doc.project, "ml-pipeline");
        assertNoLeak(r.stdout, planted);
    });

    it("sarif: a 2.1.0 log with one error and one warning result, located in the --program entry file", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "msg-events-"));
        try {
            const entry = path.join(dir, "__main__.py");
            fs.writeFileSync(entry, "import pulumi\n");
            const r = await events(["--format", "sarif", "--program", entry], stream(planted, [MANDATORY, ADVISORY]));
            assert.strictEqual(r.code, 1, r.stderr);
            const doc = JSON.parse(r.stdout);
            assert.strictEqual(doc.version, "2.1.0");
            const results = doc.runs[0].results;
            const levels = results.map((x: any) => `${x.ruleId} ${x.level}`).sort();
            assert.deepStrictEqual(levels, ["no-hardcoded-secrets error", "vault-provider-tls warning"]);
            for (const x of results) {
                assert.match(x.locations[0].physicalLocation.artifactLocation.uri, /__main__\.py$/);
            }
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("junit, to --output: one failing case for the mandatory finding", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "msg-events-"));
        try {
            const out = path.join(dir, "policy.xml");
            const r = await events(["--format", "junit", "--output", out], stream(planted, [MANDATORY, ADVISORY]));
            assert.strictEqual(r.code, 1, r.stderr);
            assert.strictEqual(r.stdout, "");
            const xml = fs.readFileSync(out, "utf8");
            assert.match(xml, /^<\?xml/);
            assert.strictEqual((xml.match(/<failure\b/g) ?? []).length, 1, xml);
            assert.match(xml, /no-hardcoded-secrets/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("advisory only: exit 0; no policy event at all: exit 0 and no violations", async () => {
        const advisory = await events(["--format", "json"], stream(planted, [ADVISORY]));
        assert.strictEqual(advisory.code, 0, advisory.stderr);
        assert.strictEqual(JSON.parse(advisory.stdout).diagnostics.length, 1);
        const clean = await events([], stream(planted, []));
        assert.strictEqual(clean.code, 0, clean.stderr);
        assert.match(clean.stdout, /No policy violations/);
    });

    it("unreadable input: exit 2 when stdin holds no engine event, never echoing it", async () => {
        for (const input of ["", `error: could not load plugin; token ${planted}\n`, "[1,2]\nnull\n"]) {
            const r = await events([], input);
            assert.strictEqual(r.code, 2, `input of ${input.length} chars: ${r.stderr}`);
            assert.strictEqual(r.stdout, "");
            assert.match(r.stderr, /no engine events on stdin/);
            assertNoLeak(r.stderr, planted);
        }
    });

    const FIXTURES = path.join(repoRoot(), "test", "fixtures", "events");
    const read = (name: string) => fs.readFileSync(path.join(FIXTURES, name), "utf8");

    it("a stream cut off mid-line: the report of what was read on stdout, then exit 2 naming the line", async () => {
        const [text, json] = await Promise.all([
            events([], read("truncated.jsonl")),
            events(["--format", "json"], read("truncated.jsonl")),
        ]);
        for (const r of [text, json]) {
            assert.strictEqual(r.code, 2, r.stderr);
            assert.match(r.stderr, /error: line 6 of stdin starts as a JSON event but does not parse/);
        }
        assert.match(text.stdout, /\[mandatory\] no-hardcoded-secrets/);
        assert.match(text.stdout, /1 mandatory, 0 advisory violations across 2 resources/);
        assert.strictEqual(JSON.parse(json.stdout).diagnostics.length, 1);
        // The same stream complete (the cut line dropped) passes through the usual exit status.
        const whole = await events([], read("truncated.jsonl").split("\n").slice(0, 5).join("\n"));
        assert.strictEqual(whole.code, 1, whole.stderr);
    });

    it("pulumi policy analyze --json: findings, the remediation and the resources named by its events", async () => {
        const r = await events([], read("policy-analyze.jsonl"));
        assert.strictEqual(r.code, 1, r.stderr);
        assert.strictEqual(r.stderr, "");
        assert.match(r.stdout, /\[remediate\] kms-rotation-default\n {8}remediated by the policy pack \(properties changed: enableKeyRotation, rotationPeriodInDays\)/);
        assert.match(r.stdout, /1 mandatory, 1 advisory, 1 remediate violations across 3 resources \(update\)\n$/);
    });

    it("a preview with summary events: per-policy counts in JSON, remediation not a failure of the gate", async () => {
        const r = await events(["--format", "json"], read("preview-summaries.jsonl").replace(/^.*"enforcementLevel":"mandatory".*$/m, ""));
        assert.strictEqual(r.code, 0, r.stderr);
        const doc = JSON.parse(r.stdout);
        const counts = doc.policyCounts.map((c: any) => `${c.policyName} ${c.passed}/${c.failed}/${c.remediated}/${c.notReported}`);
        assert.deepStrictEqual(counts, [
            "no-hardcoded-secrets 3/1/0/0", "aws-kms-key-rotation 1/0/0/3", "no-plaintext-secret-exports 0/1/0/3",
            "kms-rotation-default 0/0/1/3",
        ]);
        assert.strictEqual(doc.summary.remediate, 1);
    });

    it("usage errors: exit 2", async () => {
        const bad = await events(["--format", "html"], stream(planted, [MANDATORY]));
        assert.strictEqual(bad.code, 2);
        assert.match(bad.stderr, /--format must be one of text, json, sarif, junit/);
        const extra = await events(["preview.json"], stream(planted, [MANDATORY]));
        assert.strictEqual(extra.code, 2);
        assert.match(extra.stderr, /unknown argument preview\.json/);
    });
});
