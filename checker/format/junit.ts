// JUnit XML for CI test-report views: one <testsuite> per evaluated policy, one <testcase> per (policy, resource)
// pair the pack evaluated (every resource in the report, plus the root stack resource, which carries the policy's
// stack-wide findings). Mandatory diagnostics are <failure>s; advisory and remediate ones go to <system-out>, so
// they show up without failing the build. Disabled policies are not evaluated and get no test cases.
import { CheckReport, Diagnostic, ResourceSummary } from "../types";
import { allPolicies, compareDiagnostics, parseUrn, repoRelativeFile, reportedDiagnostics, severityOf, stackUrn } from "./common";

/**
 * XML 1.0 text/attribute escaping. `<&>"'` become entities; tab, newline and CR become character references
 * in attributes (so attribute-value normalisation keeps them; in element text tab and newline stay as they are, CR
 * is always a reference since parsers normalise it away); characters XML 1.0 cannot carry at all (other C0 controls,
 * lone surrogates, U+FFFE/U+FFFF) are written visibly as `\uXXXX`.
 */
export function xmlEscape(s: string, inText = false): string {
    let out = "";
    for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        const ch = s[i];
        if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
            const n = s.charCodeAt(i + 1);
            if (n >= 0xdc00 && n <= 0xdfff) {
                out += ch + s[i + 1];
                i++;
                continue;
            }
        }
        if (ch === "&") out += "&amp;";
        else if (ch === "<") out += "&lt;";
        else if (ch === ">") out += "&gt;";
        else if (ch === '"') out += "&quot;";
        else if (ch === "'") out += "&apos;";
        else if (inText && (c === 0x09 || c === 0x0a)) out += ch;
        else if (c === 0x09) out += "&#9;";
        else if (c === 0x0a) out += "&#10;";
        else if (c === 0x0d) out += "&#13;";
        else if (c < 0x20 || (c >= 0xd800 && c <= 0xdfff) || c === 0xfffe || c === 0xffff) {
            out += `\\u${c.toString(16).padStart(4, "0")}`;
        } else out += ch;
    }
    return out;
}

function attrs(a: Record<string, string | number>): string {
    return Object.entries(a)
        .map(([k, v]) => ` ${k}="${xmlEscape(String(v))}"`)
        .join("");
}

function describeDiagnostic(report: CheckReport, d: Diagnostic): string {
    const sev = severityOf(report, d);
    const where = d.location ? `${repoRelativeFile(report, d.location)}:${d.location.line}:${d.location.column} ` : "";
    return `${where}[${d.enforcementLevel}] ${d.policyName}${sev ? ` (severity: ${sev})` : ""}${d.baselined ? " (baselined)" : ""}\n${d.message}`;
}

/** `file` and `line` of a test case: its first failure's location, else its first output's. */
function caseLocation(report: CheckReport, c: Case): Record<string, string | number> {
    const d = [...c.failures, ...c.outputs].find((x) => x.location);
    return d?.location ? { file: repoRelativeFile(report, d.location), line: d.location.line } : {};
}

interface Case {
    resource: ResourceSummary;
    failures: Diagnostic[];
    outputs: Diagnostic[];
}

export function formatJunit(report: CheckReport): string {
    const rootUrn = stackUrn(report);
    const resources: ResourceSummary[] = [...report.resources];
    const listed = new Set(resources.map((r) => r.urn));
    const add = (urn: string) => {
        if (listed.has(urn)) return;
        listed.add(urn);
        const p = parseUrn(urn);
        resources.push({ urn, type: p ? p.type : "(unknown type)", name: p ? p.name : urn });
    };
    add(rootUrn);
    const diags = reportedDiagnostics(report);
    for (const d of [...diags].sort((a, b) => ((a.urn ?? "") < (b.urn ?? "") ? -1 : 1))) if (d.urn) add(d.urn);

    // Test case name: `<type>::<name>`, or the full URN when two resources share type and name (different parents).
    const shortName = (r: ResourceSummary) => `${r.type}::${r.name}`;
    const nameCount = new Map<string, number>();
    for (const r of resources) nameCount.set(shortName(r), (nameCount.get(shortName(r)) ?? 0) + 1);
    const caseName = (r: ResourceSummary) => (nameCount.get(shortName(r))! > 1 ? r.urn : shortName(r));

    const policies = allPolicies(report).filter(
        (p) => p.enforcementLevel !== "disabled" || diags.some((d) => d.policyName === p.name),
    );
    const suites: string[] = [];
    let total = 0;
    let totalFailures = 0;
    for (const p of policies) {
        const cases: Case[] = resources.map((r) => ({ resource: r, failures: [], outputs: [] }));
        const byUrn = new Map(cases.map((c) => [c.resource.urn, c]));
        for (const d of diags.filter((x) => x.policyName === p.name).sort(compareDiagnostics)) {
            const c = byUrn.get(d.urn || rootUrn)!;
            (d.enforcementLevel === "mandatory" && !d.baselined ? c.failures : c.outputs).push(d);
        }
        const failures = cases.filter((c) => c.failures.length > 0).length;
        total += cases.length;
        totalFailures += failures;
        const classname = `${report.pack.name}.${p.name}`;
        const body = cases.map((c) => {
            const open = `    <testcase${attrs({ classname, name: caseName(c.resource), ...caseLocation(report, c), time: "0" })}`;
            if (c.failures.length === 0 && c.outputs.length === 0) return `${open}/>`;
            const parts: string[] = [`${open}>`];
            if (c.failures.length > 0) {
                const first = c.failures[0].message.split(/\r\n?|\n/)[0];
                const text = c.failures.map((d) => describeDiagnostic(report, d)).join("\n\n");
                parts.push(`      <failure${attrs({ message: first, type: "mandatory" })}>${xmlEscape(text, true)}</failure>`);
            }
            if (c.outputs.length > 0) {
                const text = c.outputs.map((d) => describeDiagnostic(report, d)).join("\n\n");
                parts.push(`      <system-out>${xmlEscape(text, true)}</system-out>`);
            }
            parts.push("    </testcase>");
            return parts.join("\n");
        });
        suites.push(
            [
                `  <testsuite${attrs({
                    name: `${report.pack.name}/${p.name}`,
                    tests: cases.length,
                    failures,
                    errors: 0,
                    skipped: 0,
                    time: "0",
                })}>`,
                `    <properties>`,
                `      <property${attrs({ name: "enforcementLevel", value: p.enforcementLevel })}/>`,
                ...(p.severity ? [`      <property${attrs({ name: "severity", value: p.severity })}/>`] : []),
                `      <property${attrs({ name: "stack", value: report.stack })}/>`,
                `      <property${attrs({ name: "mode", value: report.mode })}/>`,
                `    </properties>`,
                ...body,
                `  </testsuite>`,
            ].join("\n"),
        );
    }
    return [
        `<?xml version="1.0" encoding="UTF-8"?>`,
        `<testsuites${attrs({ name: report.pack.name, tests: total, failures: totalFailures, errors: 0, skipped: 0, time: "0" })}>`,
        ...suites,
        `</testsuites>`,
        "",
    ].join("\n");
}
