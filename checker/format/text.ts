// Human-readable report: one block per resource (type and name, URN below), one per stack-wide group, then a
// one-line summary. No colours. Messages are printed as the pack wrote them (already redacted), indented; only
// terminal control characters are made visible so a message cannot drive the terminal.
import { SourceLocation } from "../location";
import { CheckReport, Diagnostic, PolicyCount } from "../types";
import { groupDiagnostics, severityOf, summaryLine } from "./common";

const INDENT = "    ";

/** Control characters other than tab and newline, shown as `\u001b` etc. */
export function visibleControls(s: string): string {
    // eslint-disable-next-line no-control-regex -- control characters are what this pattern finds
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
    out.push(...policyCountLines(report));
    out.push("", visibleControls(summaryLine(report)));
    return out.join("\n") + "\n";
}

function countText(c: PolicyCount): string {
    const parts: string[] = [];
    if (c.passed !== null) parts.push(`${c.passed} passed`);
    parts.push(`${c.failed} failed`);
    if (c.remediated > 0) parts.push(`${c.remediated} remediated`);
    if (c.notReported) parts.push(`${c.notReported} not reported`);
    return `${parts.join(", ")} of ${c.resources} resource${c.resources === 1 ? "" : "s"}`;
}

/** Per-policy outcomes of an engine event stream (`events`), when the report has them. */
function policyCountLines(report: CheckReport): string[] {
    const counts = report.policyCounts ?? [];
    if (counts.length === 0) return [];
    const known = counts.every((c) => c.passed !== null);
    const out = ["", known
        ? "Policies (outcome per resource, from the engine's policy summary events):"
        : "Policies (failures only: the stream has no policy summary events, so passes are unknown):"];
    for (const c of counts) {
        const name = c.policyPackName && c.policyPackName !== report.pack.name ? `${c.policyPackName}/${c.policyName}` : c.policyName;
        out.push(visibleControls(`${INDENT}${name}: ${countText(c)}`));
    }
    return out;
}
