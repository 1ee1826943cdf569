import * as assert from "assert";
import { formatReport, isReportFormat, REPORT_FORMATS } from "../../../checker/format";
import { report } from "./report-fixture";

describe("checker/format (dispatch)", () => {
    it("renders each format with its own module", () => {
        const r = report();
        assert.match(formatReport(r, "text"), /^ml-secrets-guard 0\.1\.0: preview of stack dev/);
        assert.strictEqual(JSON.parse(formatReport(r, "json")).schemaVersion, 1);
        assert.strictEqual(JSON.parse(formatReport(r, "sarif")).version, "2.1.0");
        assert.match(formatReport(r, "junit"), /^<\?xml version="1\.0"/);
    });

    it("rejects an unknown format", () => {
        assert.throws(() => formatReport(report(), "html" as never), /unknown report format "html" \(known: text, json, sarif, junit\)/);
        assert.strictEqual(isReportFormat("sarif"), true);
        assert.strictEqual(isReportFormat("xml"), false);
        assert.deepStrictEqual([...REPORT_FORMATS], ["text", "json", "sarif", "junit"]);
    });

    it("never changes the report it is given", () => {
        const r = report();
        const before = JSON.stringify(r);
        for (const f of REPORT_FORMATS) formatReport(r, f);
        assert.strictEqual(JSON.stringify(r), before);
    });
});
