// Helpers shared by the report formatters. Pure: no I/O, no environment (but the current directory as the default
// repository root), deterministic for a given report.
import * as path from "path";
import { SourceLocation } from "../location";
import { CheckReport, Diagnostic, EnforcementLevel, PolicyInfo, ResourceSummary } from "../types";

export interface ParsedUrn {
    stack: string;
    project: string;
    /** The resource's own type (the last segment of a parent-qualified type `a$b$c`). */
    type: string;
    /** The full qualified type, parents included. */
    qualifiedType: string;
    name: string;
}

/** `urn:pulumi:<stack>::<project>::<parent$...$type>::<name>`; undefined when the string is not such a URN. */
export function parseUrn(urn: string): ParsedUrn | undefined {
    if (!urn.startsWith("urn:pulumi:")) return undefined;
    const parts = urn.slice("urn:pulumi:".length).split("::");
    if (parts.length < 4) return undefined;
    const [stack, project, qualifiedType] = parts;
    // A name may itself contain "::": everything after the type is the name.
    const name = parts.slice(3).join("::");
    const types = qualifiedType.split("$");
    return { stack, project, qualifiedType, type: types[types.length - 1], name };
}

/** URN of the root stack resource, which the engine registers for every program. */
export function stackUrn(report: Pick<CheckReport, "stack" | "project">): string {
    return `urn:pulumi:${report.stack}::${report.project}::pulumi:pulumi:Stack::${report.project}-${report.stack}`;
}

/** Type and name of a resource: from the report's resource list when known, else from the URN itself. */
export function describeResource(report: CheckReport, urn: string): ResourceSummary {
    const known = report.resources.find((r) => r.urn === urn);
    if (known) return known;
    const p = parseUrn(urn);
    return p ? { urn, type: p.type, name: p.name } : { urn, type: "(unknown type)", name: urn };
}

const LEVEL_RANK: Record<string, number> = { mandatory: 0, remediate: 1, advisory: 2, disabled: 3 };

export function levelRank(level: EnforcementLevel | string): number {
    return LEVEL_RANK[level] ?? 4;
}

const SEVERITY_RANK: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3 };

function cmp(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

/** Stable order inside a group: mandatory first, then by severity, policy name, message. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
    return (
        levelRank(a.enforcementLevel) - levelRank(b.enforcementLevel) ||
        (SEVERITY_RANK[a.severity ?? ""] ?? 9) - (SEVERITY_RANK[b.severity ?? ""] ?? 9) ||
        cmp(a.policyName, b.policyName) ||
        cmp(a.message, b.message)
    );
}

export interface DiagnosticGroup {
    /** undefined for the stack-wide group. */
    resource?: ResourceSummary;
    diagnostics: Diagnostic[];
}

/**
 * Resource groups in the order of `report.resources` (registration order), URNs the report does not list after
 * them in URN order, then the stack-wide group (diagnostics without a URN) last. Disabled diagnostics are dropped.
 */
export function groupDiagnostics(report: CheckReport): DiagnosticGroup[] {
    const byUrn = new Map<string, Diagnostic[]>();
    const stackWide: Diagnostic[] = [];
    for (const d of reportedDiagnostics(report)) {
        if (d.urn === undefined || d.urn === "") {
            stackWide.push(d);
            continue;
        }
        const list = byUrn.get(d.urn) ?? [];
        list.push(d);
        byUrn.set(d.urn, list);
    }
    const groups: DiagnosticGroup[] = [];
    const seen = new Set<string>();
    for (const r of report.resources) {
        const list = byUrn.get(r.urn);
        if (list && !seen.has(r.urn)) {
            groups.push({ resource: r, diagnostics: list.sort(compareDiagnostics) });
            seen.add(r.urn);
        }
    }
    const rest = [...byUrn.keys()].filter((u) => !seen.has(u)).sort(cmp);
    for (const u of rest) groups.push({ resource: describeResource(report, u), diagnostics: byUrn.get(u)!.sort(compareDiagnostics) });
    if (stackWide.length > 0) groups.push({ diagnostics: stackWide.sort(compareDiagnostics) });
    return groups;
}

/** Diagnostics a formatter shows: everything except ones at level "disabled" (a disabled policy reports nothing). */
export function reportedDiagnostics(report: CheckReport): Diagnostic[] {
    return report.diagnostics.filter((d) => d.enforcementLevel !== "disabled");
}

export interface Counts {
    mandatory: number;
    advisory: number;
    remediate: number;
    resources: number;
    /** Of the above, accepted by the `--baseline` report. */
    baselined: number;
}

export function countDiagnostics(report: CheckReport): Counts {
    const c: Counts = { mandatory: 0, advisory: 0, remediate: 0, resources: report.resources.length, baselined: 0 };
    for (const d of reportedDiagnostics(report)) {
        if (d.baselined) c.baselined++;
        if (d.enforcementLevel === "mandatory") c.mandatory++;
        else if (d.enforcementLevel === "remediate") c.remediate++;
        else if (d.enforcementLevel === "advisory") c.advisory++;
    }
    return c;
}

/** The one-line summary, e.g. `ml-secrets-guard: 2 mandatory, 1 advisory violations across 14 resources (preview)`. */
export function summaryLine(report: CheckReport): string {
    const c = countDiagnostics(report);
    const remediate = c.remediate > 0 ? `, ${c.remediate} remediate` : "";
    const res = `${c.resources} resource${c.resources === 1 ? "" : "s"}`;
    const baseline = report.fixed !== undefined ? `; ${c.baselined} baselined, ${report.fixed.length} fixed` : "";
    return `${report.pack.name}: ${c.mandatory} mandatory, ${c.advisory} advisory${remediate} violations across ${res} (${report.mode})${baseline}`;
}

/**
 * The policies a formatter describes: the pack's own list, plus any policy a diagnostic names that the list lacks
 * (so every diagnostic has a rule), in the pack's order then by name.
 */
export function allPolicies(report: CheckReport): PolicyInfo[] {
    const out = [...report.pack.policies];
    const known = new Set(out.map((p) => p.name));
    const extra = new Map<string, PolicyInfo>();
    for (const d of report.diagnostics) {
        if (known.has(d.policyName) || extra.has(d.policyName)) continue;
        extra.set(d.policyName, {
            name: d.policyName,
            description: d.description ?? "",
            enforcementLevel: d.enforcementLevel,
            severity: d.severity,
        });
    }
    return out.concat([...extra.values()].sort((a, b) => cmp(a.name, b.name)));
}

/** Severity of a diagnostic: its own, else its policy's. */
export function severityOf(report: CheckReport, d: Diagnostic): string | undefined {
    return d.severity ?? report.pack.policies.find((p) => p.name === d.policyName)?.severity;
}

/**
 * A location's file relative to the repository root (default: the current directory), `/`-separated: the program
 * directory joined with the location's file. Without a program directory (a state export) the file as recorded.
 */
export function repoRelativeFile(report: CheckReport, loc: SourceLocation, repoRoot?: string): string {
    if (report.programDir === undefined) return loc.file;
    const root = path.resolve(repoRoot ?? process.cwd());
    return path.relative(root, path.resolve(report.programDir, ...loc.file.split("/"))).split(path.sep).join("/");
}
