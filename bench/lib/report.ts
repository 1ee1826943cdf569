// Figures, the results table and the machine's details.
import * as fs from "fs";
import { execFileSync } from "child_process";
import * as os from "os";
import { performance } from "perf_hooks";

export function median(xs: number[]): number {
    const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
    if (v.length === 0) return NaN;
    const m = v.length >> 1;
    return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

/**
 * The median of the ratios ours[i] / base[i]: each pair ran back to back, so each ratio is free of the host's slow
 * and fast spells, which move both halves alike.
 */
export function pairedRatio(ours: readonly number[], base: readonly number[]): number {
    return median(ours.map((x, i) => x / base[i]));
}

export function timeMs(fn: () => void): number {
    const t0 = performance.now();
    fn();
    return performance.now() - t0;
}

export function fmt(x: number, digits = 0): string {
    if (!Number.isFinite(x)) return "n/a";
    return x.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function fmtBytes(n: number): string {
    if (!Number.isFinite(n)) return "n/a";
    if (n >= 1024 * 1024) return `${fmt(n / (1024 * 1024), 1)} MiB`;
    if (n >= 1024) return `${fmt(n / 1024, 1)} KiB`;
    return `${n} B`;
}

export type Met = "met" | "NOT MET" | "";

export interface Row {
    section: string;
    measure: string;
    ours: string;
    baseline: string;
    ratio?: string;
    target?: string;
    met?: Met;
}

export interface SectionResult {
    title: string;
    rows: Row[];
    notes: string[];
}

export function ratio(a: number, b: number): string {
    return Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${fmt(a / b, 2)}x` : "";
}

export function metIf(ok: boolean | undefined): Met {
    return ok === undefined ? "" : ok ? "met" : "NOT MET";
}

export function machine(): Record<string, string> {
    const cpus = os.cpus();
    return {
        "CPU": cpus[0]?.model?.trim() ?? "unknown",
        "Cores": String(cpus.length),
        "Memory": `${fmt(os.totalmem() / 1024 ** 3, 1)} GiB`,
        "Node.js": process.version,
        "OS": `${os.type()} ${os.release()} (${os.arch()})`,
    };
}

function esc(s: string): string {
    return s.replace(/\|/g, "\\|");
}

export function markdownTable(sections: SectionResult[]): string {
    const lines = [
        "| Section | Measure | ml-secrets-guard | Baseline (same run) | Ratio | Target | Met |",
        "|---|---|---|---|---|---|---|",
    ];
    for (const s of sections) {
        for (const r of s.rows) {
            lines.push(`| ${esc(r.section)} | ${esc(r.measure)} | ${esc(r.ours)} | ${esc(r.baseline)} | ${r.ratio ?? ""} | ${esc(r.target ?? "")} | ${r.met ?? ""} |`);
        }
    }
    return lines.join("\n");
}

/** A plain-text table for the terminal. */
export function textTable(sections: SectionResult[]): string {
    const head = ["Section", "Measure", "ml-secrets-guard", "Baseline (same run)", "Ratio", "Target", "Met"];
    const rows = sections.flatMap((s) => s.rows.map((r) => [r.section, r.measure, r.ours, r.baseline, r.ratio ?? "", r.target ?? "", r.met ?? ""]));
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
    return [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** The commit measured, and any uncommitted changes to the pack's sources at the time. */
export function sourceState(repo: string): string {
    try {
        const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: repo, encoding: "utf8" }).trim();
        const dirty = execFileSync("git", ["status", "--porcelain", "--", "policies", "PulumiPolicy.yaml", "package.json"], { cwd: repo, encoding: "utf8" })
            .split("\n").filter(Boolean).map((l) => l.slice(3));
        return `commit ${head}` + (dirty.length ? ` plus uncommitted changes to ${dirty.join(", ")}` : "");
    } catch {
        return "unknown (not a git checkout)";
    }
}

export function writeResults(file: string, sections: SectionResult[], meta: { started: Date; seconds: number; command: string; source: string }): void {
    const m = machine();
    const out: string[] = [
        "# Benchmark results",
        "",
        `Produced by \`${meta.command}\` on ${meta.started.toISOString().slice(0, 10)} in ${fmt(meta.seconds)} s. ` +
            "Every figure is a median over several runs; each sits beside its baseline measured in the same run. " +
            "Re-run `npm run bench` to regenerate this file (the figures are this machine's, not a contract).",
        "",
        "## Machine",
        "",
        ...Object.entries(m).map(([k, v]) => `- ${k}: ${v}`),
        `- Source measured: ${meta.source}`,
        "",
        "## Targets",
        "",
        ...sections.flatMap((sec) => sec.rows.filter((r) => r.met).map((r) => `- ${r.met === "met" ? "met" : "**NOT MET**"}: ${r.section}, ${r.measure}: ${r.ours} (target ${r.target})`)),
        "",
        "Where a target is missed, `node dist/bench/profile.js` (after `npm run build`) records CPU profiles of the " +
            "workload and ranks the hot functions: see [PROFILES.md](PROFILES.md).",
        "",
        "## Results",
        "",
        markdownTable(sections),
        "",
        "## Notes",
        "",
    ];
    for (const s of sections) {
        if (!s.notes.length) continue;
        out.push(`### ${s.title}`, "", ...s.notes.map((n) => `- ${n}`), "");
    }
    fs.writeFileSync(file, out.join("\n"));
}
