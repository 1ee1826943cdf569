// no-hardcoded-secrets: secret strings written into the program (any resource input, provider configuration
// included), found in Analyze and confirmed with provenance in AnalyzeStack. See rules/no-hardcoded-secrets.ts.
import { twoPhasePolicy } from "./lib/adapter";
import { AllowEntry, EXPIRES_PATTERN, expiredMessage, splitAllowlist, todayUtc } from "./lib/allowlist";
import { Finding, findings, PolicyMeta, ResourceSubject, RuleContext, StackSubject } from "./lib/rule";
import { Candidate } from "./detection/scan";
import { EXTRA_PATTERN_ID_PATTERN, EXTRA_PATTERN_MAX_LENGTH } from "./detection/extra-patterns";
import {
    analyzeInputs,
    confirmInStack,
    DETECTOR_IDS,
    HardcodedSecretsConfig,
    prepare,
} from "./rules/no-hardcoded-secrets";

export const meta: PolicyMeta = {
    name: "no-hardcoded-secrets",
    description: "Secrets must not be hard-coded in resource inputs or provider configuration.",
    enforcementLevel: "mandatory",
    severity: "critical",
    checks: "Every string input of every resource and provider, JSON inside strings included, for credential formats " +
        "(cloud keys, tokens, private keys, JWTs, URLs with passwords) and for literals or placeholders at secret-bearing keys; " +
        "values from stack config (plaintext config is no-plaintext-secret-config's) or from other resources are not flagged.",
    remediationSteps: "Store the value as secret config (`pulumi config set --secret <key> <value>`) and read it with " +
        "`config.requireSecret(\"<key>\")`, or read it from a secret store (AWS Secrets Manager, Google Secret Manager, Azure Key Vault, Vault). " +
        "Rotate the exposed credential: it is in your source history. For a false positive, add an allowlist entry with a reason.",
    tags: ["secrets", "ml-pipelines"],
    configSchema: {
        properties: {
            allowlist: {
                type: "array",
                description: "Findings to accept: `urn` and `path` are globs (`*` matches anything); give a `reason`. " +
                    "An optional `expires` date (YYYY-MM-DD, UTC) ends the exception on that day, with an advisory finding naming the entry.",
                items: {
                    type: "object",
                    properties: {
                        urn: { type: "string" }, path: { type: "string" }, reason: { type: "string" },
                        expires: { type: "string", pattern: EXPIRES_PATTERN },
                    },
                    additionalProperties: false,
                },
                default: [],
            },
            extraPatterns: {
                type: "array",
                description: "Extra credential formats: `{id, pattern}` with a JavaScript regular expression (linear-time patterns only).",
                items: {
                    type: "object",
                    properties: {
                        id: { type: "string", pattern: EXTRA_PATTERN_ID_PATTERN },
                        pattern: { type: "string", maxLength: EXTRA_PATTERN_MAX_LENGTH },
                    },
                    additionalProperties: false,
                },
                default: [],
            },
            disabledDetectors: {
                type: "array",
                description: `Detectors to turn off: ${DETECTOR_IDS.join(", ")}.`,
                items: { type: "string", enum: DETECTOR_IDS },
                default: [],
            },
        },
    },
};

/** Candidates found in Analyze, kept until AnalyzeStack confirms or drops them. Lives as long as the pack process. */
const pending = new Map<string, Candidate[]>();

/** The config with its expired allowlist entries set aside, for one config object and day (every resource asks). */
let activeMemo: { config: HardcodedSecretsConfig; today: string; active: HardcodedSecretsConfig; expired: AllowEntry[] } | undefined;

function activeConfig(config: HardcodedSecretsConfig, today: string): { active: HardcodedSecretsConfig; expired: AllowEntry[] } {
    if (activeMemo?.config !== config || activeMemo.today !== today) {
        const allowlist = splitAllowlist(config.allowlist ?? [], today);
        activeMemo = { config, today, active: { ...config, allowlist: allowlist.active }, expired: allowlist.expired };
    }
    return activeMemo;
}

function analyze(subject: ResourceSubject, config: HardcodedSecretsConfig, ctx: RuleContext) {
    const prepared = prepare(config);
    // Expired allowlist entries stop applying (lib/allowlist.ts).
    const today = todayUtc();
    const allowlist = activeConfig(config, today);
    const result = analyzeInputs(subject, allowlist.active, ctx, prepared);
    pending.set(subject.urn, result.candidates);
    // Config problems and expired entries are reported once, on the root stack, not on every resource.
    const isRoot = subject.type === "pulumi:pulumi:Stack";
    const configProblems = isRoot ? prepared.problems.map((message) => ({ message })) : [];
    const expired: Finding[] = isRoot
        ? (config.allowlist ?? []).flatMap((e, i) => (allowlist.expired.includes(e)
            ? [{ message: expiredMessage(meta.name, i, e, today), level: "advisory" as const }]
            : []))
        : [];
    const certain = result.findings.filter((f) => f.urn !== undefined);
    return findings(...configProblems, ...expired, ...certain);
}

function confirm(resources: StackSubject[]) {
    return findings(...confirmInStack(resources, pending));
}

export const policy = twoPhasePolicy<HardcodedSecretsConfig>(meta, {
    resource: { rule: analyze },
    stack: (resources) => confirm(resources),
});
