// Human-readable report: one block per resource (type and name, URN below), one per stack-wide group, then a
// one-line summary. No colours. Messages are printed as the pack wrote them (already redacted), indented; only
// terminal control characters are made visible so a message cannot drive the terminal.
import { CheckReport, Diagnostic } from "../types";
import { groupDiagnostics, severityOf, summaryLine } from "./common";

const INDENT = "    ";

/** Control characters other than tab and newline, shown as `\u001b` etc. */
export function visibleControls(s: string): string {
    return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function diagnosticLines(report: CheckReport, d: Diagnostic): string[] {
    const sev = severityOf(report, d);
    const head = `${INDENT}[${d.enforcementLevel}] ${d.policyName}${sev ? ` (severity: ${sev})` : ""}`;
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
    out.push("", visibleControls(summaryLine(report)));
    return out.join("\n") + "\n";
}
