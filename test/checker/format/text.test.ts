import * as assert from "assert";
import { formatText } from "../../../checker/format/text";
import { MSG, report, URNS } from "./report-fixture";

describe("checker/format/text", () => {
    const out = formatText(report());
    const lines = out.split("\n");

    it("ends with the one-line summary", () => {
        assert.strictEqual(lines[lines.length - 2], "ml-secrets-guard: 2 mandatory, 2 advisory violations across 6 resources (preview)");
        assert.strictEqual(out.endsWith("\n"), true);
    });

    it("groups by resource in registration order, shows type and name, stack-wide group last", () => {
        const heads = lines.filter((l) => l !== "" && !l.startsWith(" "));
        assert.deepStrictEqual(heads.slice(1, -1), [
            "aws:lambda/function:Function  inference",
            "aws:secretsmanager/secretVersion:SecretVersion  hf-token",
            "gcp:cloudrunv2/job:Job  trainer-job",
            "Stack-wide (no single resource)",
        ]);
        // Resources without diagnostics get no group.
        assert.ok(!out.includes("training-data"));
        assert.ok(out.includes(`    ${URNS.job}\n`));
    });

    it("shows policy name, level and severity, and indents every line of a multi-line message", () => {
        const i = lines.indexOf("aws:lambda/function:Function  inference");
        assert.deepStrictEqual(lines.slice(i + 2, i + 6), [
            "    [mandatory] no-hardcoded-secrets (severity: critical)",
            ...MSG.lambdaKey.split("\n").map((l) => "        " + l),
        ]);
        const s = lines.indexOf("Stack-wide (no single resource)");
        assert.deepStrictEqual(lines.slice(s + 1, s + 4), [
            "    [advisory] no-plaintext-secret-exports (severity: high)",
            ...MSG.stackExport.split("\n").map((l) => "        " + l),
        ]);
    });

    it("orders diagnostics in a group mandatory first, whatever the input order", () => {
        const r = report();
        r.diagnostics.push({ ...r.diagnostics[2], urn: URNS.lambda });
        const a = formatText(r);
        r.diagnostics.reverse();
        assert.strictEqual(formatText(r), a);
        const block = a.slice(a.indexOf("aws:lambda/function:Function  inference"));
        assert.ok(block.indexOf("[mandatory] no-hardcoded-secrets") < block.indexOf("[advisory] kms-encrypted-secrets"));
    });

    it("uses no colours and makes terminal control characters visible", () => {
        assert.ok(!out.includes("\u001b"));
        const r = report();
        r.diagnostics[1].message = "bad \u001b[31mred\u001b[0m";
        const t = formatText(r);
        assert.ok(!t.includes("\u001b"));
        assert.ok(t.includes("\\u001b[31mred"));
    });

    it("says so when there are no violations", () => {
        const r = report();
        r.diagnostics = [];
        const t = formatText(r);
        assert.ok(t.includes("\nNo policy violations.\n"));
        assert.ok(t.endsWith("ml-secrets-guard: 0 mandatory, 0 advisory violations across 6 resources (preview)\n"));
    });

    it("names a resource the report does not list from its URN", () => {
        const r = report();
        r.resources = [];
        const t = formatText(r);
        assert.ok(t.includes("\ngcp:cloudrunv2/job:Job  trainer-job\n"));
        assert.ok(t.includes("across 0 resources"));
    });
});
