// `--baseline <report.json>`: a JSON report of an earlier run. Its findings are accepted (shown as baselined, not
// counted for the exit status); findings not in it are new; its findings that no longer occur are listed as fixed.
// `--write-baseline <file>` writes the JSON report of this run, which is exactly such a file.
import * as fs from "fs";
import { SourceLocation } from "./location";
import { CheckReport, FixedFinding } from "./types";
import { BaselineError } from "./errors";

export { BaselineError };

function isObject(v: unknown): v is Record<string, unknown> {
    return !!v && typeof v === "object" && !Array.isArray(v);
}

function location(v: unknown): SourceLocation | undefined {
    if (!isObject(v) || typeof v.file !== "string" || typeof v.line !== "number") return undefined;
    return { file: v.file, line: v.line, column: typeof v.column === "number" ? v.column : 1 };
}

/** The findings of a baseline file (a `--format json` report), by fingerprint. */
export function readBaseline(file: string): Map<string, FixedFinding> {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new BaselineError(`cannot read baseline ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    return parseBaseline(text, `baseline ${file}`);
}

export function parseBaseline(text: string, source = "baseline"): Map<string, FixedFinding> {
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch {
        throw new BaselineError(`${source} is not JSON: write it with --write-baseline or --format json`);
    }
    if (!isObject(doc) || !Array.isArray(doc.diagnostics)) {
        throw new BaselineError(`${source} is not a JSON report of ml-secrets-guard (no diagnostics list)`);
    }
    const out = new Map<string, FixedFinding>();
    for (const [i, d] of doc.diagnostics.entries()) {
        if (!isObject(d) || typeof d.fingerprint !== "string" || typeof d.policyName !== "string") {
            throw new BaselineError(`${source}: diagnostics[${i}] has no fingerprint; regenerate it with --write-baseline`);
        }
        out.set(d.fingerprint, {
            fingerprint: d.fingerprint,
            policyName: d.policyName,
            urn: typeof d.urn === "string" ? d.urn : undefined,
            location: location(d.location),
        });
    }
    return out;
}

/** Marks the report's baselined findings and lists the fixed ones. Fingerprints must be assigned first. */
export function applyBaseline(report: CheckReport, baseline: ReadonlyMap<string, FixedFinding>): void {
    const present = new Set<string>();
    for (const d of report.diagnostics) {
        if (d.fingerprint === undefined) throw new Error("applyBaseline: diagnostics have no fingerprints");
        present.add(d.fingerprint);
        d.baselined = baseline.has(d.fingerprint);
    }
    report.fixed = [...baseline.values()].filter((f) => !present.has(f.fingerprint));
}
