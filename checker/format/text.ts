// Human-readable report: one block per resource (type and name, URN below), one per stack-wide group, then a
// one-line summary. No colours. Messages are printed as the pack wrote them (already redacted), indented; only
// terminal control characters are made visible so a message cannot drive the terminal.
import { SourceLocation } from "../location";
import { CheckReport, Diagnostic } from "../types";
import { groupDiagnostics, severityOf, summaryLine } from "./common";

const INDENT = "    ";

/** Control characters other than tab and newline, shown as `\u001b` etc. */
export function visibleControls(s: string): string {
    return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** `index.ts:42:5`, or "" when the location is unknown. */
export function locationText(l: SourceLocation | undefined): string {
    return l ? `${l.file}:${l.line}:${l.column}` : "";
}

function diagnosticLines(report: CheckReport, d: Diagnostic): string[] {
    const sev = severityOf(report, d);
    const where = d.location ? `${locationText(d.location)} ` : "";
    const head = `${INDENT}${where}[${d.enforcementLevel}] ${d.policyName}${sev ? ` (severity: ${sev})` : ""}` +
        `${d.baselined ? " (baselined)" : ""}`;
    const body = d.message
        .replace(/\r\n?/g, "\n")
        .split("\n")
        .map((l) => l.replace(/\s+$/, ""));
    while (body.length > 1 && body[body.length - 1] === "") body.pop();
    return [visibleControls(head), ...body.map((l) => (l === "" ? "" : INDENT + INDENT + visibleControls(l)))];
}

export function formatText(report: CheckReport): string {
    const out: string[] = [];
    out.push(
        `${report.pack.name} ${report.pack.version}: ${report.mode} of stack ${report.stack} (project ${report.project}, program ${report.program})`,
    );
    const groups = groupDiagnostics(report);
    if (groups.length === 0) {
        out.push("", "No policy violations.");
    }
    for (const g of groups) {
        out.push("");
        if (g.resource) {
            out.push(visibleControls(`${g.resource.type}  ${g.resource.name}`));
            out.push(visibleControls(`${INDENT}${g.resource.urn}`));
        } else {
            out.push("Stack-wide (no single resource)");
        }
        for (const d of g.diagnostics) out.push(...diagnosticLines(report, d));
    }
    if (report.fixed && report.fixed.length > 0) {
        out.push("", `Fixed since the baseline (${report.fixed.length}):`);
        for (const f of report.fixed) {
            const where = f.location ? `${locationText(f.location)} ` : "";
            out.push(visibleControls(`${INDENT}${where}${f.policyName}${f.urn ? `  ${f.urn}` : ""}`));
        }
    }
    out.push("", visibleControls(summaryLine(report)));
    return out.join("\n") + "\n";
}
