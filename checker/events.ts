// Turns engine events, one JSON EngineEvent per line, into a CheckReport, so a real CLI run can be rendered by
// formatReport. Two producers write such lines: `pulumi preview --json` / `pulumi up --json` with
// PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true, and `pulumi policy analyze --json` (CLI 3.229 and later: policy events,
// remediation events and a final summary event, no step events and no policy summary events). The event shapes are
// those of pulumi/pulumi sdk/go/common/apitype/events.go:
//   {sequence, timestamp, policyEvent: {resourceUrn?, message, color, policyName, policyPackName,
//    policyPackVersion, policyPackVersionTag, enforcementLevel}}
//   {policyRemediationEvent: {resourceUrn?, color, policyName, policyPackName, policyPackVersion,
//    policyPackVersionTag, before?, after?}}   (before/after: the resource's inputs, secrets blinded)
//   {resourcePreEvent|resOutputsEvent|resOpFailedEvent: {metadata: {op, urn, type, ...}, ...}}
//   {diagnosticEvent: {urn?, message, color, severity, ...}}
//   {summaryEvent: {maybeCorrupt, durationSeconds, resourceChanges, PolicyPacks: {name: version}, isPreview}}
//   {policyAnalyzeSummaryEvent|policyRemediateSummaryEvent: {resourceUrn, policyPackName, policyPackVersion,
//    policyPackVersionTag, passed?, failed?}}
//   {policyAnalyzeStackSummaryEvent: {policyPackName, policyPackVersion, policyPackVersionTag, passed?, failed?}}
// A line that starts as a JSON object but does not parse (a stream cut off mid-line) is reported by line number;
// other lines that are not JSON objects (plain text the CLI mixes in) are skipped and counted. Prelude events (stack
// config) are ignored and remediation values are never copied: only the names of the changed properties are.
import { parseUrn, stackUrn } from "./format/common";
import { parseStatePosition } from "./location";
import { changedProperties, remediationMessage } from "./remediation";
import {
    CheckReport, Diagnostic, EnforcementLevel, PackInfo, PolicyCount, PolicyInfo, ResourceSummary,
} from "./types";

export const DEFAULT_PACK_NAME = "ml-secrets-guard";

/** Pulumi colour directives such as `<{%fg 1%}>` and `<{%reset%}>` (present when events are not colourised off). */
const COLOR_DIRECTIVE = /<\{%[^%]*%\}>/g;

/**
 * The engine's levels, plus the older names its JSON comment still lists ("warning" for advisory, "none" for
 * disabled). Anything else is reported as advisory rather than dropped.
 */
export function normalizeLevel(level: unknown): EnforcementLevel {
    switch (level) {
        case "mandatory":
            return "mandatory";
        case "remediate":
            return "remediate";
        case "disabled":
        case "none":
            return "disabled";
        default:
            return "advisory";
    }
}

function str(v: unknown): string | undefined {
    return typeof v === "string" ? v : undefined;
}

function obj(v: unknown): Record<string, unknown> | undefined {
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

export interface ParsedEvents {
    report: CheckReport;
    /** Lines that are not JSON objects (plain text, JSON arrays or scalars), skipped. */
    skippedLines: number;
    /** JSON objects read. */
    events: number;
    /** 1-based numbers of lines that start as a JSON object but do not parse (a stream cut off mid-line). */
    malformedLines: number[];
}

/** Outcome ranks of a (policy, resource) cell: the highest one seen wins. */
const PASSED = 1;
const REMEDIATED = 2;
const FAILED = 3;

function names(v: unknown): string[] {
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string" && x !== "") : [];
}

export function parseEvents(text: string): ParsedEvents {
    let skippedLines = 0;
    let events = 0;
    const malformedLines: number[] = [];
    const resources = new Map<string, ResourceSummary>();
    const diagnostics: Diagnostic[] = [];
    /** pack name -> version, in first-seen order. */
    const packs = new Map<string, string>();
    /** policy name -> pack name, in first-seen order. */
    const policyNames = new Map<string, string>();
    const policyLevels = new Map<string, EnforcementLevel>();
    /** `pack\0policy` -> URN ("" = the root stack) -> outcome rank. */
    const outcomes = new Map<string, Map<string, number>>();
    let sawSummary = false;
    let mode: "preview" | "update" | undefined;
    let stack = "";
    let project = "";

    const notePack = (name: string | undefined, version: string | undefined) => {
        if (name && !packs.has(name)) packs.set(name, version ?? "");
        else if (name && version && !packs.get(name)) packs.set(name, version);
    };
    const notePolicy = (policy: unknown, pack: string | undefined) => {
        if (typeof policy === "string" && policy !== "" && !policyNames.has(policy)) policyNames.set(policy, pack ?? "");
    };
    /** Records a resource by URN (any event naming one); `type` from step metadata when there is one. */
    const noteUrn = (urn: string | undefined, type?: string, strict = true) => {
        if (!urn) return;
        const p = parseUrn(urn);
        if (!p && strict) return;
        if (p && !(stack && project)) {
            stack = stack || p.stack;
            project = project || p.project;
        }
        if (resources.has(urn)) return;
        resources.set(urn, { urn, type: type || p?.type || "(unknown type)", name: p ? p.name : urn });
    };
    const mark = (pack: string, policy: string, urn: string, rank: number) => {
        const key = `${pack}\u0000${policy}`;
        let cells = outcomes.get(key);
        if (!cells) outcomes.set(key, (cells = new Map()));
        if ((cells.get(urn) ?? 0) < rank) cells.set(urn, rank);
    };
    // The resource's `sourcePosition` (`project:///index.ts#12,5`) where the event's state metadata carries it.
    const noteSourcePosition = (meta: Record<string, unknown> | undefined) => {
        const r = resources.get(str(meta?.urn) ?? "");
        if (!r || r.location) return;
        for (const m of [obj(meta?.new), obj(meta?.old), meta]) {
            const at = parseStatePosition(m?.sourcePosition);
            if (at) {
                r.location = at;
                return;
            }
        }
    };

    const lines = text.split(/\r?\n/);
    for (const [i, raw] of lines.entries()) {
        const line = (i === 0 ? raw.replace(/^\uFEFF/, "") : raw).trim();
        if (line === "") continue;
        let parsed: unknown;
        let ok = true;
        try {
            parsed = JSON.parse(line);
        } catch {
            ok = false;
        }
        if (!ok && line.startsWith("{")) {
            malformedLines.push(i + 1);
            continue;
        }
        const ev = ok ? obj(parsed) : undefined;
        if (!ev) {
            skippedLines++;
            continue;
        }
        events++;

        for (const key of ["resourcePreEvent", "resOutputsEvent", "resOpFailedEvent"]) {
            const meta = obj(obj(ev[key])?.metadata);
            if (meta) {
                noteUrn(str(meta.urn), str(meta.type), false);
                noteSourcePosition(meta);
            }
        }
        const diag = obj(ev.diagnosticEvent);
        if (diag) noteUrn(str(diag.urn));

        const pe = obj(ev.policyEvent);
        if (pe) {
            const urn = str(pe.resourceUrn);
            const packName = str(pe.policyPackName) ?? "";
            const level = normalizeLevel(pe.enforcementLevel);
            notePack(packName, str(pe.policyPackVersion));
            notePolicy(pe.policyName, packName);
            if (typeof pe.policyName === "string" && !policyLevels.has(pe.policyName)) policyLevels.set(pe.policyName, level);
            noteUrn(urn);
            const d: Diagnostic = {
                policyName: str(pe.policyName) ?? "",
                policyPackName: packName,
                policyPackVersion: str(pe.policyPackVersion) ?? "",
                enforcementLevel: level,
                message: (str(pe.message) ?? "").replace(COLOR_DIRECTIVE, ""),
                phase: urn ? "analyze" : "analyzeStack",
            };
            const sev = str(pe.severity);
            if (sev) d.severity = sev;
            if (urn) d.urn = urn;
            diagnostics.push(d);
            if (level !== "disabled" && d.policyName) mark(packName, d.policyName, urn ?? "", FAILED);
        }

        const re = obj(ev.policyRemediationEvent);
        if (re) {
            const urn = str(re.resourceUrn);
            const packName = str(re.policyPackName) ?? "";
            const policyName = str(re.policyName) ?? "";
            notePack(packName, str(re.policyPackVersion));
            notePolicy(policyName, packName);
            if (policyName && !policyLevels.has(policyName)) policyLevels.set(policyName, "remediate");
            noteUrn(urn);
            const d: Diagnostic = {
                policyName,
                policyPackName: packName,
                policyPackVersion: str(re.policyPackVersion) ?? "",
                enforcementLevel: "remediate",
                message: remediationMessage(changedProperties(obj(re.before) ?? {}, obj(re.after) ?? {})),
                phase: "remediate",
            };
            if (urn) d.urn = urn;
            diagnostics.push(d);
            if (policyName) mark(packName, policyName, urn ?? "", REMEDIATED);
        }

        for (const [key, failRank] of [
            ["policyAnalyzeSummaryEvent", FAILED], ["policyRemediateSummaryEvent", REMEDIATED], ["policyAnalyzeStackSummaryEvent", FAILED],
        ] as const) {
            const sum = obj(ev[key]);
            if (!sum) continue;
            sawSummary = true;
            const packName = str(sum.policyPackName) ?? "";
            notePack(packName, str(sum.policyPackVersion));
            // A stack summary has no URN: its policies ran once, over the whole stack (the root stack resource).
            const urn = key === "policyAnalyzeStackSummaryEvent" ? "" : str(sum.resourceUrn) ?? "";
            noteUrn(urn);
            for (const name of names(sum.passed)) {
                notePolicy(name, packName);
                mark(packName, name, urn, PASSED);
            }
            for (const name of names(sum.failed)) {
                notePolicy(name, packName);
                mark(packName, name, urn, failRank);
            }
        }

        const se = obj(ev.summaryEvent);
        if (se) {
            if (typeof se.isPreview === "boolean") mode = se.isPreview ? "preview" : "update";
            const pp = obj(se.PolicyPacks);
            if (pp) for (const [name, version] of Object.entries(pp)) notePack(name, str(version));
        }
    }

    // Outcomes of stack-wide findings and stack policies belong to the root stack resource.
    const rootUrn = stack && project ? stackUrn({ stack, project }) : "";
    const usesRoot = [...outcomes.values()].some((cells) => cells.has(""));
    if (usesRoot && rootUrn) noteUrn(rootUrn);
    const resourceList = [...resources.values()];

    const packName = packs.has(DEFAULT_PACK_NAME) ? DEFAULT_PACK_NAME : packs.keys().next().value ?? DEFAULT_PACK_NAME;
    const policies: PolicyInfo[] = [...policyNames.entries()]
        .filter(([, pack]) => pack === "" || pack === packName)
        .map(([name]) => ({ name, description: "", enforcementLevel: policyLevels.get(name) ?? "advisory" }));
    // A summary event's PolicyPacks value may be the version tag with a leading "v".
    const pack: PackInfo = {
        name: packName,
        version: packs.get(packName) ?? "",
        supportsConfig: false,
        policies,
    };

    const policyCounts: PolicyCount[] = [];
    // The report's pack first, then other packs, each in first-seen order.
    const keys = [...outcomes.keys()];
    const ours = (k: string) => k.startsWith(`${packName}\u0000`);
    for (const key of [...keys.filter(ours), ...keys.filter((k) => !ours(k))]) {
        const cells = outcomes.get(key)!;
        const [policyPackName, policyName] = key.split("\u0000");
        const rank = (urn: string) => Math.max(cells.get(urn) ?? 0, urn === rootUrn ? cells.get("") ?? 0 : 0);
        const c: PolicyCount = {
            policyName, policyPackName, passed: 0, failed: 0, remediated: 0, notReported: 0, resources: resourceList.length,
        };
        for (const r of resourceList) {
            const k = rank(r.urn);
            if (k === FAILED) c.failed++;
            else if (k === REMEDIATED) c.remediated++;
            else if (k === PASSED) c.passed!++;
            else c.notReported!++;
        }
        if (!sawSummary) {
            c.passed = null;
            c.notReported = null;
        }
        policyCounts.push(c);
    }

    for (const d of diagnostics) {
        const at = d.urn ? resources.get(d.urn)?.location : undefined;
        if (at) d.location = at;
    }
    return {
        report: {
            program: "",
            stack,
            project,
            mode: mode ?? "preview",
            pack,
            resources: resourceList,
            diagnostics,
            policyCounts,
        },
        skippedLines,
        events,
        malformedLines,
    };
}
