// Every policy's pure logic, called as policies/lib/adapter.ts calls it: config resolved against the policy's schema
// (invalid fields fall back to defaults), resource rules per resource, stack rules over the whole stack, the
// two-phase no-hardcoded-secrets glue (candidates from Analyze confirmed in AnalyzeStack), and remediations.
import { schemaOf } from "../../policies/lib/adapter";
import { resolveConfig } from "../../policies/lib/config-schema";
import { Finding, isNotApplicable, Outcome, PolicyMeta, ResourceSubject, RuleContext, StackSubject, findings } from "../../policies/lib/rule";
import { POLICY_MODULES } from "../../policies/registry";
import { Candidate } from "../../policies/detection/scan";
import * as kms from "../../policies/rules/aws-kms-key-rotation";
import * as smCmk from "../../policies/rules/aws-secretsmanager-secret-cmk";
import * as kvAccess from "../../policies/rules/azure-keyvault-access-policies";
import * as kvKeyRot from "../../policies/rules/azure-keyvault-key-rotation";
import * as kvAcls from "../../policies/rules/azure-keyvault-network-acls";
import * as kvSoft from "../../policies/rules/azure-keyvault-soft-delete-purge-protection";
import * as gcp from "../../policies/rules/gcp-kms-crypto-key-rotation";
import * as hardcoded from "../../policies/rules/no-hardcoded-secrets";
import * as exportsRule from "../../policies/rules/no-plaintext-secret-exports";
import * as stringified from "../../policies/rules/no-stringified-outputs";
import * as plainConfig from "../../policies/rules/no-plaintext-secret-config";
import * as cloudFields from "../../policies/rules/no-secrets-in-plaintext-cloud-fields";
import * as tls from "../../policies/rules/vault-provider-tls";
import * as transit from "../../policies/rules/vault-transit-key-rotation";

export const ROOT_TYPE = "pulumi:pulumi:Stack";

/** One run's state (no-hardcoded-secrets keeps Analyze candidates until AnalyzeStack). */
export interface RunState {
    pending: Map<string, Candidate[]>;
}

export interface PureHarness {
    name: string;
    /** Types the adapter runs the resource rule on (undefined: every type). */
    appliesTo?: string[];
    resource?: (s: ResourceSubject, config: any, ctx: RuleContext, state: RunState) => Outcome;
    stack?: (rs: StackSubject[], config: any, ctx: RuleContext, state: RunState) => Outcome;
    remediate?: (s: ResourceSubject, config: any) => unknown;
}

export const HARNESS: PureHarness[] = [
    {
        name: "no-hardcoded-secrets",
        // policies/no-hardcoded-secrets.ts: Analyze reports only certain findings and keeps the candidates.
        resource: (s, config, ctx, state) => {
            const prepared = hardcoded.prepare(config);
            const result = hardcoded.analyzeInputs(s, config, ctx, prepared);
            state.pending.set(s.urn, result.candidates);
            const problems = s.type === ROOT_TYPE ? prepared.problems.map((message) => ({ message })) : [];
            return findings(...problems, ...result.findings.filter((f) => f.urn !== undefined));
        },
        stack: (rs, _c, _ctx, state) => findings(...hardcoded.confirmInStack(rs, state.pending)),
    },
    { name: "no-plaintext-secret-exports", stack: (rs, config, ctx) => findings(...exportsRule.checkExports(rs, config, ctx.stackConfig)) },
    {
        name: "no-plaintext-secret-config",
        resource: (s, config, ctx) => plainConfig.analyzeResource(s, config, ctx),
        stack: (rs, config, ctx) => findings(...plainConfig.checkExportedConfig(rs, ctx.stackConfig, config)),
    },
    { name: "azure-keyvault-access-policies", stack: (rs) => kvAccess.checkVaultAccessPolicies(rs) },
    { name: "azure-keyvault-soft-delete-purge-protection", appliesTo: [kvSoft.VAULT_TYPE], resource: (s) => kvSoft.checkSoftDeletePurgeProtection(s) },
    { name: "azure-keyvault-network-acls", appliesTo: [kvAcls.VAULT_TYPE], resource: (s) => kvAcls.checkNetworkAcls(s) },
    {
        name: "aws-kms-key-rotation", appliesTo: [kms.KEY_TYPE],
        resource: (s, c) => kms.checkKmsKeyRotation(s, c), remediate: (s, c) => kms.remediateKmsKeyRotation(s, c),
    },
    {
        name: "gcp-kms-crypto-key-rotation", appliesTo: [gcp.CRYPTO_KEY_TYPE],
        resource: (s, c) => gcp.checkCryptoKeyRotation(s, c), remediate: (s, c) => gcp.remediateCryptoKeyRotation(s, c),
    },
    {
        name: "azure-keyvault-key-rotation", appliesTo: [kvKeyRot.KEY_TYPE],
        resource: (s, c) => kvKeyRot.checkKeyRotation(s, c), remediate: (s, c) => kvKeyRot.remediateKeyRotation(s, c),
    },
    {
        name: "vault-transit-key-rotation", appliesTo: [transit.TRANSIT_KEY_TYPE],
        resource: (s, c) => transit.checkTransitKeyRotation(s, c), remediate: (s, c) => transit.remediateTransitKeyRotation(s, c),
    },
    { name: "aws-secretsmanager-secret-cmk", appliesTo: [smCmk.SECRET_TYPE], resource: (s) => smCmk.checkSecretCmk(s) },
    { name: "vault-provider-tls", appliesTo: [tls.VAULT_PROVIDER_TYPE], resource: (s) => tls.checkVaultProviderTls(s) },
    { name: "no-stringified-outputs", resource: (s) => stringified.checkStringifiedOutputs(s) },
    { name: "no-secrets-in-plaintext-cloud-fields", resource: (s, config, ctx) => cloudFields.checkCloudFields(s, config, ctx) },
];

export const METAS: Map<string, PolicyMeta> = new Map(POLICY_MODULES.map((m) => [m.meta.name, m.meta]));

/** Every type token some policy applies to, plus the types the stack rules look at. */
export const APPLICABLE_TYPES: string[] = [
    ...new Set([...HARNESS.flatMap((h) => h.appliesTo ?? []), kvAccess.ACCESS_POLICY_TYPE, kvAccess.CLASSIC_ACCESS_POLICY_TYPE, ROOT_TYPE, "aws:ssm/parameter:Parameter"]),
];

/** The config the adapter would run with, from whatever raw config the engine sent. */
export function configFor(name: string, raw: unknown): any {
    return resolveConfig(schemaOf(METAS.get(name)!), raw).config;
}

export interface Emitted {
    policy: string;
    /** Finding message, or a not-applicable reason (which the SDK also sends to the engine). */
    text: string;
    kind: "finding" | "notApplicable";
    urn?: string;
    level: string;
    phase: "analyze" | "analyzeStack" | "remediate";
}

function emitted(policy: string, o: Outcome, phase: Emitted["phase"], defaultUrn: string | undefined): Emitted[] {
    const level = METAS.get(policy)!.enforcementLevel;
    if (isNotApplicable(o)) return [{ policy, text: o.notApplicable, kind: "notApplicable", urn: defaultUrn, level: "none", phase }];
    const fs = (o as { findings: Finding[] }).findings;
    if (!Array.isArray(fs)) throw new Error(`${policy}: outcome without findings`);
    return fs.map((f) => {
        if (typeof f.message !== "string" || f.message.length === 0) throw new Error(`${policy}: finding without a message`);
        return { policy, text: f.message, kind: "finding" as const, urn: f.urn ?? defaultUrn, level: f.level ?? level, phase };
    });
}

/**
 * Runs every policy over one operation: the resource rules on each resource whose type they apply to (Analyze), the
 * remediations, then the stack rules (AnalyzeStack). Exceptions propagate: that is the property under test.
 */
export function runAll(resources: StackSubject[], rawConfigs: Record<string, unknown>, ctx: { stackConfig: RuleContext["stackConfig"] }, opts: { allTypes?: boolean } = {}): Emitted[] {
    const state: RunState = { pending: new Map() };
    const out: Emitted[] = [];
    for (const h of HARNESS) {
        const config = configFor(h.name, rawConfigs[h.name]);
        for (const r of resources) {
            const applies = !h.appliesTo || h.appliesTo.includes(r.type);
            if (h.resource && (applies || opts.allTypes)) {
                const subject: ResourceSubject = { type: r.type, urn: r.urn, name: r.name, props: r.props, provider: r.provider };
                const o = h.resource(subject, config, { stackConfig: ctx.stackConfig, phase: "analyze" }, state);
                if (applies) out.push(...emitted(h.name, o, "analyze", r.urn));
            }
            if (h.remediate && (applies || opts.allTypes)) h.remediate({ type: r.type, urn: r.urn, name: r.name, props: r.props }, config);
        }
    }
    for (const h of HARNESS) {
        if (!h.stack) continue;
        const config = configFor(h.name, rawConfigs[h.name]);
        out.push(...emitted(h.name, h.stack(resources, config, { stackConfig: ctx.stackConfig, phase: "analyzeStack" }, state), "analyzeStack", undefined));
    }
    return out;
}
