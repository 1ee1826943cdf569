import { SourceLocation } from "./location";

// Shared data shapes of the offline checker. The checker never imports the pack's policies (only two pure modules:
// the wire constants and the config field-path formatter): it speaks the Analyzer protocol, so these types describe
// what comes back over the wire.

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";

export interface PolicyInfo {
    name: string;
    displayName?: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    severity?: string;
    remediationSteps?: string;
    framework?: { name: string; version: string; reference: string; specification: string };
    /** JSON schema of the policy's config, as GetAnalyzerInfo returns it. */
    configSchema?: { properties: Record<string, unknown>; required?: string[] };
}

export interface PackInfo {
    name: string;
    version: string;
    displayName?: string;
    supportsConfig: boolean;
    policies: PolicyInfo[];
}

/** Per-policy config sent in Configure. */
export interface PolicyConfigEntry {
    enforcementLevel: EnforcementLevel;
    properties: Record<string, unknown>;
}

export interface Diagnostic {
    policyName: string;
    policyPackName: string;
    policyPackVersion: string;
    enforcementLevel: EnforcementLevel;
    severity?: string;
    /** The resource the diagnostic is about; absent for stack-wide findings. */
    urn?: string;
    message: string;
    description?: string;
    /** Which call produced it. */
    phase: "analyze" | "analyzeStack" | "remediate";
    /** Where in the program (file relative to `CheckReport.programDir`), when known. */
    location?: SourceLocation;
    /** Stable identity across runs and modes (checker/fingerprint.ts); set by the checker after the analysis. */
    fingerprint?: string;
    /** In the `--baseline` report: shown, but does not affect the exit status. */
    baselined?: boolean;
}

export interface ResourceSummary {
    urn: string;
    type: string;
    name: string;
    /** Where the program creates the resource, when known. */
    location?: SourceLocation;
}

/** A finding of the `--baseline` report that no longer occurs. */
export interface FixedFinding {
    fingerprint: string;
    policyName: string;
    urn?: string;
    location?: SourceLocation;
}

/**
 * How one policy fared across the report's resources, read from an engine event stream. Every resource is counted
 * once: failed (a violation), else remediated, else passed, else not reported (no summary event named the policy for
 * it, e.g. a resource type the policy does not apply to), so the four add up to `resources`. A stack policy's
 * outcome counts for the root stack resource. `passed` and `notReported` are null when the stream has no summary
 * events (e.g. `pulumi policy analyze --json`): passes are then unknown, not zero.
 */
export interface PolicyCount {
    policyName: string;
    policyPackName: string;
    passed: number | null;
    failed: number;
    remediated: number;
    notReported: number | null;
    resources: number;
}

export interface CheckReport {
    program: string;
    stack: string;
    project: string;
    mode: "preview" | "update";
    pack: PackInfo;
    resources: ResourceSummary[];
    diagnostics: Diagnostic[];
    /** Per-policy outcomes (only `events` fills this in). */
    policyCounts?: PolicyCount[];
    /** The directory locations are relative to (the program's); undefined when unknown (a state export's project). */
    programDir?: string;
    /** With `--baseline`: the baseline's findings that no longer occur. */
    fixed?: FixedFinding[];
}

/** `--fail-on`: the lowest enforcement level of a new finding that fails the run. A remediation never fails. */
export type FailOn = "mandatory" | "advisory" | "none";
export const FAIL_ON_LEVELS: readonly FailOn[] = ["mandatory", "advisory", "none"];

/** Exit status of `ml-secrets-guard check`. */
export const EXIT_OK = 0;
export const EXIT_MANDATORY = 1;
export const EXIT_ERROR = 2;
