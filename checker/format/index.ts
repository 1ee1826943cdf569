// Report rendering for `ml-secrets-guard check --format ...`. Every formatter is pure: it never changes or adds
// to a diagnostic's message (the pack has already redacted it) and never sees config values.
import { CheckReport } from "../types";
import { formatJson } from "./json";
import { formatJunit } from "./junit";
import { formatSarif, SarifOptions } from "./sarif";
import { formatText } from "./text";

export type ReportFormat = "text" | "json" | "sarif" | "junit";
export const REPORT_FORMATS: readonly ReportFormat[] = ["text", "json", "sarif", "junit"];

export type FormatOptions = SarifOptions;

export function isReportFormat(s: string): s is ReportFormat {
    return (REPORT_FORMATS as readonly string[]).includes(s);
}

export function formatReport(report: CheckReport, format: ReportFormat, options: FormatOptions = {}): string {
    switch (format) {
        case "text":
            return formatText(report);
        case "json":
            return formatJson(report);
        case "sarif":
            return formatSarif(report, options);
        case "junit":
            return formatJunit(report);
        default:
            throw new Error(`unknown report format "${String(format).slice(0, 40)}" (known: ${REPORT_FORMATS.join(", ")})`);
    }
}
