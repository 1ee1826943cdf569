// The contract between pure rules and the Pulumi plumbing. No @pulumi imports here: a rule is a plain function
// from plain data (wire-shaped props, the config it needs) to findings, testable with literal objects.
// The SDK's own types are used with `import type` (erased at compile time: rules still load no @pulumi module).
import type { EnforcementLevel, PolicyComplianceFramework, Severity as SdkSeverity } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { WireObject } from "./wire";

export type Level = EnforcementLevel;
export type Severity = SdkSeverity;

export interface ProviderSubject {
    type: string;
    urn: string;
    name: string;
    props: WireObject;
}

/** One resource as a rule sees it: props exactly as the engine sent them (secrets wrapped, unknowns as sentinels). */
export interface ResourceSubject {
    type: string;
    urn: string;
    name: string;
    props: WireObject;
    provider?: ProviderSubject;
}

/** A resource in AnalyzeStack: its outputs plus where its values came from. */
export interface StackSubject extends ResourceSubject {
    parent?: string;
    dependencies: string[];
    /** Top-level property name -> URNs of the resources that property's value came from. */
    propertyDependencies: Record<string, string[]>;
}

/** The decrypted stack configuration, and which keys were set with `pulumi config set --secret`. */
export interface StackConfigView {
    /** False when the pack runs with no stack (e.g. `pulumi policy publish`): config-based provenance is off. */
    available: boolean;
    /** Fully qualified key (`project:key`, `aws:region`) -> value as a string (objects are JSON). */
    values: ReadonlyMap<string, string>;
    secretKeys: ReadonlySet<string>;
    /**
     * False when nothing said which keys are secret: the CLI passes PULUMI_CONFIG to the pack (secrets decrypted) but
     * not PULUMI_CONFIG_SECRET_KEYS, so without ConfigureStack every key would look plaintext. Undefined: known.
     */
    secretKeysKnown?: boolean;
    dryRun?: boolean;
}

export interface RuleContext {
    stackConfig: StackConfigView;
    phase: "analyze" | "analyzeStack";
    /**
     * The values of the pack process's environment variables (the pack inherits the Pulumi CLI's environment), for
     * provenance: a value equal to one came from the environment, not from the program's source. Absent: unknown.
     */
    environment?: readonly string[];
}

export interface Finding {
    /** Already redacted: never holds a secret value. */
    message: string;
    /** The resource the finding is about (stack rules). */
    urn?: string;
    /** Overrides the policy's level for this finding only (used for advisory-only sub-findings). */
    level?: "advisory" | "mandatory";
}

export type Outcome = { findings: Finding[] } | { notApplicable: string };

export function findings(...fs: Finding[]): Outcome {
    return { findings: fs };
}

export function notApplicable(reason: string): Outcome {
    return { notApplicable: reason };
}

export function isNotApplicable(o: Outcome): o is { notApplicable: string } {
    return (o as { notApplicable?: string }).notApplicable !== undefined;
}

export type ResourceRule<C> = (subject: ResourceSubject, config: C, ctx: RuleContext) => Outcome;
export type StackRule<C> = (resources: StackSubject[], config: C, ctx: RuleContext) => Outcome;
/** Returns the remediated props (wire-shaped), or undefined when nothing needs to change. */
export type ResourceRemediation<C> = (subject: ResourceSubject, config: C) => WireObject | undefined;

export type ComplianceFramework = PolicyComplianceFramework;

/**
 * A JSON schema for one config property: the SDK's PolicyConfigJSONSchema narrowed to the keywords the pack's
 * validator understands (config-schema.ts), so a schema can never use a keyword that would be silently ignored,
 * and every schema is still a valid PolicyConfigJSONSchema.
 */
export interface JsonSchema extends Pick<PolicyConfigJSONSchema, "description" | "minimum" | "maximum" | "minLength" | "maxLength" | "pattern" | "default"> {
    type?: Exclude<PolicyConfigJSONSchema["type"], unknown[] | "null" | undefined>;
    enum?: (string | number | boolean)[];
    items?: JsonSchema;
    properties?: Record<string, JsonSchema>;
    additionalProperties?: boolean;
}

export interface PolicyMeta {
    name: string;
    description: string;
    enforcementLevel: Level;
    severity: Severity;
    remediationSteps: string;
    framework?: ComplianceFramework;
    tags?: string[];
    url?: string;
    /** One line for docs/policies.md: what the policy checks. */
    checks: string;
    configSchema: { properties: Record<string, JsonSchema>; required?: string[] };
}
