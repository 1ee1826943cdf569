// Turns the engine events of `pulumi preview --json` with PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true (one JSON
// EngineEvent per line) into a CheckReport, so a real CLI run can be rendered by formatReport. The event shapes are
// those of pulumi/pulumi sdk/go/common/apitype/events.go:
//   {sequence, timestamp, policyEvent: {resourceUrn?, message, color, policyName, policyPackName,
//    policyPackVersion, policyPackVersionTag, enforcementLevel}}
//   {resourcePreEvent: {metadata: {op, urn, type, ...}, planning?}}, {resOutputsEvent: {metadata: ...}}
//   {summaryEvent: {maybeCorrupt, durationSeconds, resourceChanges, PolicyPacks: {name: version}, isPreview}}
//   {policyAnalyzeSummaryEvent: {resourceUrn, policyPackName, policyPackVersion, passed?, failed?}}
//   {policyAnalyzeStackSummaryEvent: {policyPackName, policyPackVersion, passed?, failed?}}
// Lines that are not JSON objects are skipped and counted. Prelude events (stack config) are ignored: config values
// never enter the report.
import { parseStatePosition } from "./location";
import { CheckReport, Diagnostic, EnforcementLevel, PackInfo, PolicyInfo, ResourceSummary } from "./types";
import { parseUrn } from "./format/common";

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

export function parseEvents(text: string): { report: CheckReport; skippedLines: number } {
    let skippedLines = 0;
    const resources = new Map<string, ResourceSummary>();
    const diagnostics: Diagnostic[] = [];
    /** pack name -> version, in first-seen order. */
    const packs = new Map<string, string>();
    /** policy name -> pack name, in first-seen order. */
    const policyNames = new Map<string, string>();
    const policyLevels = new Map<string, EnforcementLevel>();
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
    const noteUrn = (urn: string | undefined) => {
        if (!urn || (stack && project)) return;
        const p = parseUrn(urn);
        if (p) {
            stack = stack || p.stack;
            project = project || p.project;
        }
    };
    const noteResource = (meta: Record<string, unknown> | undefined) => {
        const urn = str(meta?.urn);
        if (!urn) return;
        noteUrn(urn);
        if (resources.has(urn)) return;
        const p = parseUrn(urn);
        const type = str(meta?.type) || p?.type || "(unknown type)";
        resources.set(urn, { urn, type, name: p ? p.name : urn });
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

    for (const raw of text.split(/\r?\n/)) {
        const line = raw.trim();
        if (line === "") continue;
        let ev: Record<string, unknown> | undefined;
        try {
            ev = obj(JSON.parse(line));
        } catch {
            ev = undefined;
        }
        if (!ev) {
            skippedLines++;
            continue;
        }
        const pre = obj(ev.resourcePreEvent) ?? obj(ev.resOutputsEvent);
        if (pre) {
            noteResource(obj(pre.metadata));
            noteSourcePosition(obj(pre.metadata));
        }

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
        }

        const as = obj(ev.policyAnalyzeSummaryEvent) ?? obj(ev.policyAnalyzeStackSummaryEvent);
        if (as) {
            const packName = str(as.policyPackName);
            notePack(packName, str(as.policyPackVersion));
            noteUrn(str(as.resourceUrn));
            for (const list of [as.passed, as.failed]) {
                if (Array.isArray(list)) for (const name of list) notePolicy(name, packName);
            }
        }

        const se = obj(ev.summaryEvent);
        if (se) {
            if (typeof se.isPreview === "boolean") mode = se.isPreview ? "preview" : "update";
            const pp = obj(se.PolicyPacks);
            if (pp) for (const [name, version] of Object.entries(pp)) notePack(name, str(version));
        }
    }

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
            resources: [...resources.values()],
            diagnostics,
        },
        skippedLines,
    };
}
