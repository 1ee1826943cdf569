// The main job (`ml-secrets-guard references`, `npm run check-references`): the five scenarios side by side. Each
// seed program as first written must get exactly its expected findings, each compliant reference stack none, in
// preview and in update. The scenarios and expectations live in reference-stacks/scenarios.json, which the
// reference-stacks test reads too.
import * as fs from "fs";
import * as path from "path";
import { CheckReport, Diagnostic } from "./types";
import { ScenarioError } from "./errors";

export { ScenarioError };

export interface ExpectedFinding {
    policy: string;
    level: "mandatory" | "advisory";
    /** The resource's name (the last URN segment; for stack exports, the root stack's name). */
    resource: string;
}

export interface Scenario {
    seed: string;
    title: string;
    /** Paths relative to the repository root. */
    asWritten: string;
    reference: string;
    expected: ExpectedFinding[];
}

export const SCENARIOS_FILE = path.join("reference-stacks", "scenarios.json");

/** Reads and checks reference-stacks/scenarios.json under `root`. */
export function readScenarios(root: string): Scenario[] {
    const file = path.join(root, SCENARIOS_FILE);
    if (!fs.existsSync(file)) {
        throw new ScenarioError(`no ${SCENARIOS_FILE} under ${root}: references runs in a checkout of ml-secrets-guard`);
    }
    const doc = JSON.parse(fs.readFileSync(file, "utf8"));
    const list = doc?.scenarios;
    if (!Array.isArray(list) || list.length === 0) throw new ScenarioError(`${file}: no scenarios`);
    return list.map((s: any, i: number) => {
        for (const k of ["seed", "title", "asWritten", "reference"]) {
            if (typeof s?.[k] !== "string" || !s[k]) throw new ScenarioError(`${file}: scenarios[${i}].${k} must be a string`);
        }
        if (!Array.isArray(s.expected)) throw new ScenarioError(`${file}: scenarios[${i}].expected must be an array`);
        for (const [j, e] of s.expected.entries()) {
            if (typeof e?.policy !== "string" || !["mandatory", "advisory"].includes(e?.level) || typeof e?.resource !== "string") {
                throw new ScenarioError(`${file}: scenarios[${i}].expected[${j}] needs policy, level (mandatory|advisory), resource`);
            }
        }
        return s as Scenario;
    });
}

/** `policy level resource` of a diagnostic, the form expectations are compared in. */
export function findingKey(d: Pick<Diagnostic, "policyName" | "enforcementLevel" | "urn">): string {
    return `${d.policyName} ${d.enforcementLevel} ${(d.urn ?? "").split("::").pop()}`;
}

export function expectedKey(e: ExpectedFinding): string {
    return `${e.policy} ${e.level} ${e.resource}`;
}

/** What differs between the findings and the expectation (multisets): empty lists when they match exactly. */
export function compareFindings(expected: ExpectedFinding[], diagnostics: Diagnostic[]): { missing: string[]; unexpected: string[] } {
    const want = expected.map(expectedKey).sort();
    const got = diagnostics.filter((d) => d.enforcementLevel !== "disabled").map(findingKey).sort();
    const missing: string[] = [];
    const rest = [...got];
    for (const w of want) {
        const i = rest.indexOf(w);
        if (i >= 0) rest.splice(i, 1);
        else missing.push(w);
    }
    return { missing, unexpected: rest };
}

/** One run's outcome, for rendering. */
export interface ScenarioRun {
    report?: CheckReport;
    /** Why the run produced no report. */
    error?: string;
}

export interface ScenarioResult {
    scenario: Scenario;
    asWritten: Record<string, ScenarioRun>;
    reference: Record<string, ScenarioRun>;
}

/** The first line of a message after the policy's description line (the pack's messages are already redacted). */
function messageLine(d: Diagnostic, max = 150): string {
    const lines = d.message.split(/\r?\n/).filter((l) => l.trim() !== "");
    // eslint-disable-next-line no-control-regex -- control characters are what this pattern finds
    const l = (lines.length > 1 ? lines[1] : lines[0] ?? "").replace(/[\u0000-\u001f\u007f-\u009f]/g, " ");
    return l.length > max ? l.slice(0, max - 1) + "…" : l;
}

function findingLines(ds: Diagnostic[], indent: string): string[] {
    const byLine = (d: Diagnostic) => [d.location?.file ?? "\uffff", d.location?.line ?? 0] as const;
    const sorted = ds.filter((d) => d.enforcementLevel !== "disabled").sort((a, b) => {
        const [fa, la] = byLine(a);
        const [fb, lb] = byLine(b);
        return fa < fb ? -1 : fa > fb ? 1 : la - lb;
    });
    const rows = sorted.map((d) => ({
        where: d.location ? `${d.location.file}:${d.location.line}:${d.location.column}` : "(stack)",
        level: d.enforcementLevel,
        policy: d.policyName,
        text: messageLine(d),
    }));
    const w = Math.max(0, ...rows.map((r) => r.where.length));
    const p = Math.max(0, ...rows.map((r) => r.policy.length));
    return rows.map((r) => `${indent}${r.where.padEnd(w)}  ${r.level.padEnd(9)}  ${r.policy.padEnd(p)}  ${r.text}`);
}

function sameFindings(a: Diagnostic[], b: Diagnostic[]): boolean {
    const key = (d: Diagnostic) => `${findingKey(d)} ${d.location?.file}:${d.location?.line}`;
    return JSON.stringify(a.map(key).sort()) === JSON.stringify(b.map(key).sort());
}

function countText(ds: Diagnostic[]): string {
    const m = ds.filter((d) => d.enforcementLevel === "mandatory").length;
    const a = ds.filter((d) => d.enforcementLevel === "advisory").length;
    return m + a === 0 ? "clean" : `${m} mandatory, ${a} advisory`;
}

/** Whether a run is as expected: the exact findings for an as-written program, none at all for a reference stack. */
export function runVerdict(run: ScenarioRun, expected: ExpectedFinding[] | "clean"): { ok: boolean; why: string } {
    if (!run.report) return { ok: false, why: `error: ${run.error ?? "no report"}` };
    const ds = run.report.diagnostics;
    const c = compareFindings(expected === "clean" ? [] : expected, ds);
    if (c.missing.length === 0 && c.unexpected.length === 0) return { ok: true, why: countText(ds) };
    const parts = [
        ...(c.missing.length ? [`missing ${c.missing.join("; ")}`] : []),
        ...(c.unexpected.length ? [`unexpected ${c.unexpected.join("; ")}`] : []),
    ];
    return { ok: false, why: `${countText(ds)}, NOT as expected: ${parts.join("; ")}` };
}

/** The main job's report: per scenario the as-written findings and the reference stack, then a closing table. */
export function renderScenarios(results: ScenarioResult[], modes: string[]): { text: string; ok: boolean } {
    const out: string[] = [];
    let ok = true;
    out.push(`ml-secrets-guard: ${results.length} scenarios, each seed program as first written and its compliant reference stack (${modes.join(" and ")})`);
    const table: string[][] = [];
    for (const r of results) {
        const s = r.scenario;
        out.push("", `Seed ${s.seed}  ${s.title}`);
        const row = [s.seed];
        for (const side of ["asWritten", "reference"] as const) {
            const dir = side === "asWritten" ? s.asWritten : s.reference;
            out.push(`  ${side === "asWritten" ? "as written:     " : "reference stack:"} ${dir}`);
            const want = side === "asWritten" ? s.expected : "clean";
            let shown: Diagnostic[] | undefined;
            const cells: string[] = [];
            for (const mode of modes) {
                const run = r[side][mode];
                const v = runVerdict(run, want);
                ok &&= v.ok;
                const mark = v.ok ? (side === "asWritten" ? "as expected" : "") : "";
                out.push(`    ${mode.padEnd(8)} ${v.why}${mark && v.why !== "clean" ? `, ${mark}` : ""}`);
                cells.push(v.ok ? (side === "asWritten" ? `${v.why}` : "clean") : "FAIL");
                const ds = run.report?.diagnostics.filter((d) => d.enforcementLevel !== "disabled") ?? [];
                if (ds.length > 0) {
                    if (shown && sameFindings(shown, ds)) out.push(`${" ".repeat(6)}(the same findings as ${modes[0]})`);
                    else out.push(...findingLines(ds, " ".repeat(6)));
                    shown ??= ds;
                }
            }
            row.push(side === "reference" ? path.basename(dir) : `${s.expected.length} expected`, ...cells);
        }
        table.push(row);
    }
    const header = ["Seed", "As written", ...modes, "Reference stack", ...modes];
    const rows = [header, ...table];
    const widths = header.map((_, i) => Math.max(...rows.map((x) => (x[i] ?? "").length)));
    const line = (cells: string[]) => `| ${cells.map((c, i) => (c ?? "").padEnd(widths[i])).join(" | ")} |`;
    out.push("", line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...table.map(line));
    out.push("", ok
        ? `OK: every as-written program gets exactly its expected findings and every reference stack is clean, in ${modes.join(" and ")}.`
        : "FAILED: see the runs marked NOT as expected or FAIL above.");
    return { text: out.join("\n") + "\n", ok };
}
