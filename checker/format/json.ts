// Machine-readable report with a stable schema and key order (2-space indent). Optional values are present as
// null rather than missing, so consumers see every key on every run.
import { CheckReport } from "../types";
import { allPolicies, countDiagnostics, groupDiagnostics } from "./common";

/** Bumped when a key is renamed or removed (adding keys does not bump it). */
export const JSON_REPORT_SCHEMA_VERSION = 1;

export function formatJson(report: CheckReport): string {
    const c = countDiagnostics(report);
    // Diagnostics in the same order as the text format: by resource (registration order), stack-wide last.
    const diagnostics = groupDiagnostics(report).flatMap((g) =>
        g.diagnostics.map((d) => ({
            policyName: d.policyName,
            policyPackName: d.policyPackName,
            policyPackVersion: d.policyPackVersion,
            enforcementLevel: d.enforcementLevel,
            severity: d.severity ?? null,
            urn: d.urn ? d.urn : null,
            message: d.message,
            location: d.location ?? null,
            fingerprint: d.fingerprint ?? null,
            baselined: d.baselined === true,
        })),
    );
    const doc = {
        schemaVersion: JSON_REPORT_SCHEMA_VERSION,
        program: report.program,
        project: report.project,
        stack: report.stack,
        mode: report.mode,
        policyPack: { name: report.pack.name, version: report.pack.version },
        summary: { mandatory: c.mandatory, advisory: c.advisory, remediate: c.remediate, resources: c.resources, baselined: c.baselined },
        diagnostics,
        fixed: report.fixed ?? null,
        resources: report.resources.map((r) => ({ urn: r.urn, type: r.type, name: r.name, location: r.location ?? null })),
        policies: allPolicies(report).map((p) => ({
            name: p.name,
            displayName: p.displayName ?? null,
            description: p.description,
            enforcementLevel: p.enforcementLevel,
            severity: p.severity ?? null,
        })),
        // Per-policy outcomes of an engine event stream (`events` only; null for a checked program or state).
        policyCounts: report.policyCounts ?? null,
    };
    return JSON.stringify(doc, null, 2) + "\n";
}

/** Reads a report this formatter wrote back into a CheckReport (phase: stack-wide without a URN or on the root stack). */
export function parseJsonReport(text: string): CheckReport {
    const doc = JSON.parse(text);
    const root = `urn:pulumi:${doc.stack}::${doc.project}::pulumi:pulumi:Stack::${doc.project}-${doc.stack}`;
    return {
        program: doc.program,
        stack: doc.stack,
        project: doc.project,
        mode: doc.mode,
        pack: {
            name: doc.policyPack?.name ?? "",
            version: doc.policyPack?.version ?? "",
            supportsConfig: true,
            policies: (doc.policies ?? []).map((p: any) => ({
                name: p.name, description: p.description, enforcementLevel: p.enforcementLevel,
                displayName: p.displayName ?? undefined, severity: p.severity ?? undefined,
            })),
        },
        resources: (doc.resources ?? []).map((r: any) => ({ urn: r.urn, type: r.type, name: r.name, ...(r.location ? { location: r.location } : {}) })),
        diagnostics: (doc.diagnostics ?? []).map((d: any) => ({
            policyName: d.policyName,
            policyPackName: d.policyPackName,
            policyPackVersion: d.policyPackVersion,
            enforcementLevel: d.enforcementLevel,
            ...(d.severity ? { severity: d.severity } : {}),
            ...(d.urn ? { urn: d.urn } : {}),
            message: d.message,
            phase: !d.urn || d.urn === root ? "analyzeStack" : "analyze",
            ...(d.location ? { location: d.location } : {}),
            ...(d.fingerprint ? { fingerprint: d.fingerprint } : {}),
            ...(d.baselined ? { baselined: true } : {}),
        })),
        ...(Array.isArray(doc.fixed) ? { fixed: doc.fixed } : {}),
    };
}
