// The one place where Pulumi plumbing meets the pure rules. It turns a PolicyMeta plus a rule into an
// @pulumi/policy policy: metadata, type matching, notApplicable, config validation with defaults, raw wire props
// (so no read can trip over an unknown), fail-closed internal errors, and a last redaction pass on messages.
import type {
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { resolveConfig, ConfigProblem } from "./config-schema";
import { policyConfigVersion, rawForAnalyze, rawStack } from "./engine-hook";
import {
    Finding,
    isNotApplicable,
    Outcome,
    PolicyMeta,
    ResourceRemediation,
    ResourceRule,
    ResourceSubject,
    RuleContext,
    StackRule,
} from "./rule";
import { environmentValues } from "./environment";
import { stackConfig } from "./stack-config";
import { scrubMessage } from "./scrub";

const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/** Settings every policy accepts, beside its own. */
export const COMMON_CONFIG = {
    internalErrorLevel: {
        type: "string" as const,
        enum: ["mandatory", "advisory"],
        default: "mandatory",
        description: "Level of the diagnostic reported when this policy fails internally on a resource (fail closed by default).",
    },
};

interface CommonConfig {
    internalErrorLevel: "mandatory" | "advisory";
}

export function schemaOf(meta: PolicyMeta) {
    return {
        properties: { ...meta.configSchema.properties, ...COMMON_CONFIG },
        required: meta.configSchema.required,
    };
}

function sdkMeta(meta: PolicyMeta) {
    return {
        name: meta.name,
        description: meta.description,
        enforcementLevel: meta.enforcementLevel,
        severity: meta.severity,
        remediationSteps: meta.remediationSteps,
        framework: meta.framework,
        tags: meta.tags,
        url: meta.url,
        configSchema: schemaOf(meta),
    };
}

function describeProblems(meta: PolicyMeta, problems: ConfigProblem[]): string {
    return `invalid configuration for policy '${meta.name}' (running with defaults for the invalid fields): ` +
        problems.map((p) => `${p.field} ${p.problem}`).join("; ");
}

/**
 * Resolves the policy's config. Problems are reported when `reportProblems` is set: once per operation (on the root
 * stack in Analyze, and in AnalyzeStack), not on every resource. Invalid fields fall back to their defaults.
 */
const resolvedMemo = new Map<string, { version: number | undefined; key: string; value: { config: unknown; problems: ConfigProblem[] } }>();

/**
 * resolveConfig, memoised per policy: Analyze asks for it on every resource. Under the engine the config changes only
 * with Configure (policyConfigVersion), so the raw config is not even read again; elsewhere the memo is keyed on the
 * raw config's content.
 */
function resolveMemo<C>(meta: PolicyMeta, getRaw: () => unknown): { config: C; problems: ConfigProblem[] } {
    const version = policyConfigVersion();
    const hit = resolvedMemo.get(meta.name);
    if (hit && version !== undefined && hit.version === version) return hit.value as { config: C; problems: ConfigProblem[] };
    const raw = getRaw();
    let key: string;
    try {
        key = JSON.stringify(raw) ?? "undefined";
    } catch {
        return resolveConfig<C>(schemaOf(meta), raw);
    }
    if (hit && hit.key === key) {
        hit.version = version;
        return hit.value as { config: C; problems: ConfigProblem[] };
    }
    const value = resolveConfig<C>(schemaOf(meta), raw);
    resolvedMemo.set(meta.name, { version, key, value });
    return value;
}

function loadConfig<C>(meta: PolicyMeta, getConfig: () => unknown, report: ReportViolation, reportProblems: boolean): C & CommonConfig {
    const { config, problems } = resolveMemo<C & CommonConfig>(meta, () => {
        try {
            return getConfig();
        } catch {
            return undefined;
        }
    });
    if (problems.length && reportProblems) report(describeProblems(meta, problems));
    return config;
}

function errorClass(e: unknown): string {
    if (e instanceof Error) return e.name && e.name !== "Error" ? e.name : e.constructor?.name || "Error";
    return typeof e;
}

function reportInternalError(meta: PolicyMeta, urn: string, e: unknown, level: string, report: ReportViolation): void {
    const message = `internal error evaluating ${meta.name} on ${urn}: ${errorClass(e)}. ` +
        "The policy could not decide, so it fails closed; please report this with the resource type.";
    (report as unknown as (v: object) => void)({ message, urn, enforcementLevel: level });
}

function emit(findings: Finding[], defaultUrn: string | undefined, report: ReportViolation): void {
    for (const f of findings) {
        const message = scrubMessage(f.message);
        const urn = f.urn ?? defaultUrn;
        if (f.level) {
            (report as unknown as (v: object) => void)({ message, urn, enforcementLevel: f.level });
        } else {
            report(message, urn);
        }
    }
}

function handle(outcome: Outcome, defaultUrn: string | undefined, report: ReportViolation, notApplicable: (r: string) => never): void {
    if (isNotApplicable(outcome)) notApplicable(outcome.notApplicable);
    emit((outcome as { findings: Finding[] }).findings, defaultUrn, report);
}

function subjectOf(args: ResourceValidationArgs): ResourceSubject {
    const raw = rawForAnalyze(args.urn);
    return { type: args.type, urn: args.urn, name: args.name, props: raw.props, provider: raw.provider };
}

function context(phase: RuleContext["phase"]): RuleContext {
    return { stackConfig: stackConfig(), phase, environment: environmentValues() };
}

function isNotApplicableError(e: unknown): boolean {
    return e instanceof Error && e.constructor?.name === "NotApplicableError";
}

export interface ResourcePolicySpec<C> {
    /** Type tokens the policy applies to; any other type is reported not applicable. Omit for all types. */
    appliesTo?: string[];
    rule: ResourceRule<C>;
    remediate?: ResourceRemediation<C>;
}

/** At most this many distinct not-applicable reasons are remembered per policy (they name types, rarely resources). */
const NOT_APPLICABLE_CACHE_MAX = 256;

export function makeResourceValidation<C>(meta: PolicyMeta, spec: ResourcePolicySpec<C>) {
    const applies = spec.appliesTo ? new Set(spec.appliesTo) : undefined;
    const outOfScope = spec.appliesTo ? `applies only to ${spec.appliesTo.join(", ")}` : "";
    /**
     * The SDK's NotApplicableError for each reason, made once and thrown again: constructing one captures a stack
     * trace (about 4 µs here; a rethrow costs a tenth of that), for every resource a policy does not cover. The SDK
     * reads only its class and reason.
     */
    const notApplicableErrors = new Map<string, unknown>();
    const notApplicable = (args: ResourceValidationArgs, reason: string): never => {
        let error = notApplicableErrors.get(reason);
        if (error === undefined) {
            try {
                args.notApplicable(reason);
            } catch (e) {
                if (!isNotApplicableError(e)) throw e;
                error = e;
            }
            if (error === undefined) throw new Error("@pulumi/policy's notApplicable returned instead of throwing");
            if (notApplicableErrors.size >= NOT_APPLICABLE_CACHE_MAX) notApplicableErrors.clear();
            notApplicableErrors.set(reason, error);
        }
        throw error;
    };
    const validate = (args: ResourceValidationArgs, report: ReportViolation): void => {
        const isRoot = args.type === ROOT_STACK_TYPE;
        // The root stack always reads its config first: config problems are reported there.
        if (applies && !isRoot && !applies.has(args.type)) notApplicable(args, outOfScope);
        const config = loadConfig<C>(meta, () => args.getConfig(), report, isRoot);
        if (applies && !applies.has(args.type)) notApplicable(args, outOfScope);
        try {
            handle(spec.rule(subjectOf(args), config, context("analyze")), args.urn, report, (reason) => notApplicable(args, reason));
        } catch (e) {
            if (isNotApplicableError(e)) throw e;
            reportInternalError(meta, args.urn, e, config.internalErrorLevel, report);
        }
    };
    if (spec.appliesTo?.length === 1) {
        // @pulumi/policy's own fast path: for any other type it records "not applicable" without calling us, which
        // spares its per-policy work (decoded options, proxies, an await) and a thrown NotApplicableError per
        // resource: about 60 µs of each Analyze when aws-kms-key-rotation matched four types. Every policy matches
        // one type for that reason. (Config problems are still caught in Configure.)
        (validate as unknown as { __pulumiType: string }).__pulumiType = spec.appliesTo[0];
    }
    return validate;
}

export function resourcePolicy<C>(meta: PolicyMeta, spec: ResourcePolicySpec<C>): ResourceValidationPolicy {
    const policy: ResourceValidationPolicy = {
        ...sdkMeta(meta),
        validateResource: makeResourceValidation(meta, spec),
    };
    if (spec.remediate) {
        const remediate = spec.remediate;
        const applies = spec.appliesTo ? new Set(spec.appliesTo) : undefined;
        policy.remediateResource = (args: ResourceValidationArgs) => {
            if (applies && !applies.has(args.type)) return undefined;
            const { config } = resolveMemo<C>(meta, () => safeConfig(args));
            try {
                return remediate(subjectOf(args), config) as Record<string, unknown> | undefined;
            } catch {
                // Leave the resource as it is; validateResource reports the violation or the internal error.
                return undefined;
            }
        };
    }
    return policy;
}

function safeConfig(args: { getConfig(): unknown }): unknown {
    try {
        return args.getConfig();
    } catch {
        return undefined;
    }
}

export function makeStackValidation<C>(meta: PolicyMeta, rule: StackRule<C>, reportProblems = true) {
    return (args: StackValidationArgs, report: ReportViolation): void => {
        const config = loadConfig<C>(meta, () => args.getConfig(), report, reportProblems);
        try {
            handle(rule(rawStack(), config, context("analyzeStack")), undefined, report, args.notApplicable);
        } catch (e) {
            if (isNotApplicableError(e)) throw e;
            reportInternalError(meta, "the stack", e, config.internalErrorLevel, report);
        }
    };
}

export function stackPolicy<C>(meta: PolicyMeta, rule: StackRule<C>): StackValidationPolicy {
    return { ...sdkMeta(meta), validateStack: makeStackValidation(meta, rule) };
}

/**
 * A policy that works in both phases: Analyze (inputs, before the resource changes) and AnalyzeStack (outputs and
 * provenance). @pulumi/policy runs both when a policy object carries both functions.
 */
export function twoPhasePolicy<C>(
    meta: PolicyMeta,
    spec: { resource: ResourcePolicySpec<C>; stack: StackRule<C> },
): ResourceValidationPolicy & StackValidationPolicy {
    return {
        ...sdkMeta(meta),
        validateResource: makeResourceValidation(meta, spec.resource),
        // Config problems were reported in Analyze already.
        validateStack: makeStackValidation(meta, spec.stack, false),
    };
}
