// What the detection ReDoS test (test/policies/detection/redos.test.ts, per detector) does not cover: the code
// around the detectors, end to end, on 1 MB hostile inputs. Each case builds its input, then `run` is timed.
import { DETECTORS, findCredentialFormats, compileExtraPatterns, isSecretBearingKey, STRINGIFIED_OUTPUT_HEADS } from "../../policies/detection";
import { removeSources } from "../../policies/detection/provenance";
import { scanProps } from "../../policies/detection/scan";
import { resolveConfig } from "../../policies/lib/config-schema";
import { schemaOf } from "../../policies/lib/adapter";
import { scrubMessage } from "../../policies/lib/scrub";
import { formatPath, walkStrings, Wire, WireObject } from "../../policies/lib/wire";
import { POLICY_MODULES } from "../../policies/registry";
import { parseIsoDuration, checkKeyRotation } from "../../policies/rules/azure-keyvault-key-rotation";
import { parseDurationSeconds } from "../../policies/rules/gcp-kms-crypto-key-rotation";
import { checkExports, nameSaysSecret } from "../../policies/rules/no-plaintext-secret-exports";
import { analyzeInputs } from "../../policies/rules/no-hardcoded-secrets";
import { checkStringifiedOutputs } from "../../policies/rules/no-stringified-outputs";
import { checkVaultProviderTls, hostOf, ipv6Groups } from "../../policies/rules/vault-provider-tls";
import { parseVaultDuration } from "../../policies/rules/vault-transit-key-rotation";

const MB = 1024 * 1024;

function fill(unit: string, prefix = "", suffix = ""): string {
    return prefix + unit.repeat(Math.ceil((MB - prefix.length - suffix.length) / unit.length)) + suffix;
}

/** A JSON document of about 1 MB nested `depth` levels deep (arrays and objects), held in a string. */
function deepJson(depth: number): string {
    let open = "";
    let close = "";
    for (let i = 0; i < depth; i++) {
        open += i % 2 ? '{"password":' : "[";
        close = (i % 2 ? "}" : "]") + close;
    }
    const body = JSON.stringify("sk-" + "a".repeat(Math.max(0, MB - open.length - close.length - 10)));
    return open + body + close;
}

/** A wide JSON document: many short secret-looking leaves (work per leaf, not per byte). */
function wideJson(): string {
    const parts: string[] = [];
    let len = 2;
    for (let i = 0; len < MB; i++) {
        const entry = `"password${i}":"AKIA${"A".repeat(12)}${String(i % 10000).padStart(4, "0")}"`;
        parts.push(entry);
        len += entry.length + 1;
    }
    return `{${parts.join(",")}}`;
}

const cfg = { available: true, values: new Map([["p:x", "y".repeat(64)]]), secretKeys: new Set<string>() };
const ctx = { stackConfig: cfg, phase: "analyze" as const };
const hardcodedConfig = { allowlist: [{ urn: "*nomatch*", path: "*" }], extraPatterns: [], disabledDetectors: [] };
const stackRoot = (props: Record<string, Wire>) => [{ type: "pulumi:pulumi:Stack", urn: "urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev", name: "p-dev", props, dependencies: [], propertyDependencies: {} }];

export interface RegexCase {
    name: string;
    /** Milliseconds allowed for one call (the faster of two runs counts). */
    budget: number;
    setup: () => unknown;
    /** setup returns a list; each element is timed on its own against the budget. */
    each?: boolean;
    run: (input: any) => unknown;
}

const ANCHORS = fill("AKIA sk- hf_ ghp_ eyJ -----BEGIN :// password= AccountKey= hvs. s. dapi xoxb- AIza pul- npm_ r8_ a1Q~ X_KEY= ");

/** Every anchor the detectors gate on, each followed by a 1 MB run of key-body characters and a character that breaks the match. */
const ANCHOR_LIST = ["AKIA", "sk-", "sk-proj-", "sk-ant-api03-", "hf_", "ghp_", "github_pat_", "glpat-", "xoxb-", "whsec_", "sk_live_", "dapi", "hvs.", "s.", "AIza",
    "eyJ", "-----BEGIN PRIVATE KEY-----\n", "http://u:", "AccountKey=", "SharedAccessKey=", "sig=", "Password=", "https://hooks.slack.com/services/T",
    "pul-", "npm_", "r8_", "abc1Q~", "OPENAI_API_KEY=", "ENV X_TOKEN "];
const BODY_RUNS = ANCHOR_LIST.flatMap((a) => [fill("a", a, "!"), fill("A1", a, " !")]);

/**
 * Inputs on which the keyword prefilter works hardest: every keyword minus its last character repeated (each
 * position an anchor pair, each comparison running to the keyword's end), and runs of the pairs several keywords
 * share, in both letter cases.
 */
const PREFILTER_RUNS = [
    ...DETECTORS.flatMap((d) => d.keywords).map((k) => fill(k.slice(0, -1))),
    ...["sk_", "k_", "gl", "gh", "hv", "sk-", "ok", "sw", "SK_", "Gl", "k-k_"].map((u) => fill(u)),
];
const ALL_ROWS_OFF = new Set(DETECTORS.map((d) => d.id));

export const REGEX_CASES: RegexCase[] = [
    { name: "keyword prefilter alone (every row disabled) on 1 MB of partial keywords and shared anchor pairs (each timed)", budget: 50, each: true, setup: () => PREFILTER_RUNS, run: (s: string) => findCredentialFormats(s, { disabled: ALL_ROWS_OFF }) },
    { name: "scanProps: each anchor + a 1 MB body run + a breaking character (58 inputs, each timed)", budget: 50, each: true, setup: () => BODY_RUNS.map((v) => ({ password: v })), run: (p: Wire) => scanProps("aws:ssm/parameter:Parameter", p) },
    { name: "walkStrings: 1 MB JSON string nested 5,000 deep", budget: 50, setup: () => ({ doc: deepJson(5000) }), run: (p) => walkStrings(p, () => undefined) },
    { name: "walkStrings: 1 MB JSON string nested 200 deep (inside the depth limit)", budget: 50, setup: () => ({ doc: deepJson(200) }), run: (p) => walkStrings(p, () => undefined) },
    { name: "walkStrings: 1 MB of unbalanced brackets that looks like JSON", budget: 50, setup: () => ({ doc: "[" + "[{".repeat(MB / 2) + "]" }), run: (p) => walkStrings(p, () => undefined) },
    { name: "scanProps: 1 MB of every anchor interleaved, at a secret-bearing key", budget: 200, setup: () => ({ password: ANCHORS }), run: (p) => scanProps("aws:ssm/parameter:Parameter", p) },
    { name: "scanProps: 1 MB deeply nested JSON holding a long sk- run", budget: 100, setup: () => ({ dataJson: deepJson(200) }), run: (p) => scanProps("vault:kv/secretV2:SecretV2", p) },
    { name: "scanProps: 1 MB wide JSON of short AWS key ids at password keys", budget: 800, setup: () => ({ dataJson: wideJson() }), run: (p) => scanProps("vault:kv/secretV2:SecretV2", p) },
    { name: "no-hardcoded-secrets analyzeInputs: 1 MB anchors with config provenance and an allowlist glob", budget: 200, setup: () => ({ type: "aws:s3/bucket:Bucket", urn: "urn:pulumi:dev::p::aws:s3/bucket:Bucket::b", name: "b", props: { userData: ANCHORS } }), run: (s) => analyzeInputs(s, hardcodedConfig, ctx) },
    { name: "provenance removeSources: 1 MB value, 1,000 config values", budget: 100, setup: () => ({ v: fill("abcdef1234"), srcs: Array.from({ length: 1000 }, (_, i) => `source-value-${i}`) }), run: (x) => removeSources(x.v, x.srcs) },
    { name: "no-plaintext-secret-exports: 1 MB export of anchors, and 1 MB nested JSON export", budget: 200, setup: () => stackRoot({ blob: ANCHORS, doc: deepJson(200), ["x".repeat(MB)]: "y" }), run: (rs) => checkExports(rs, { allowExports: [] }, cfg) },
    { name: "nameSaysSecret / isSecretBearingKey on a 1 MB export name", budget: 100, setup: () => fill("plainTextCredentialArn_"), run: (n) => [nameSaysSecret(n), isSecretBearingKey(n)] },
    { name: "no-stringified-outputs and scanProps: 1 MB of repeated Output warning heads, and heads without their body ends", budget: 400,
        setup: () => ({ heads: fill(STRINGIFIED_OUTPUT_HEADS.toString), mixed: fill(`${STRINGIFIED_OUTPUT_HEADS.toJSON} x ${STRINGIFIED_OUTPUT_HEADS.toString} `) }),
        run: (p: WireObject) => [checkStringifiedOutputs({ type: "aws:ssm/parameter:Parameter", urn: "u", name: "p", props: p }), scanProps("aws:ssm/parameter:Parameter", { token: p.heads })] },
    { name: "formatPath with 1 MB keys and 100,000 segments", budget: 100, setup: () => [fill("k k"), ...Array.from({ length: 100000 }, (_, i) => i)], run: (p) => formatPath(p) },
    { name: "scrubMessage on a 1 MB message of anchors", budget: 100, setup: () => ANCHORS, run: (m) => scrubMessage(m) },
    { name: "ISO-8601 durations (parseIsoDuration) on 1 MB inputs", budget: 50, setup: () => [fill("1", "P", "D"), fill("1Y", "P"), fill("T", "P"), fill("1.", "P")], run: (xs) => xs.map(parseIsoDuration) },
    { name: "azure-keyvault-key-rotation rule with 1 MB duration strings", budget: 50, setup: () => ({ type: "azure-native:keyvault:Key", urn: "u", name: "k", props: { properties: { rotationPolicy: { lifetimeActions: [{ action: { type: "Rotate" }, trigger: { timeAfterCreate: fill("1", "P", "D"), timeBeforeExpiry: fill("1H", "PT") } }], attributes: { expiryTime: fill("9", "P", "Y") } } } } }), run: (s) => checkKeyRotation(s, { maxRotationInterval: "P90D" }) },
    { name: "Cloud KMS and Vault durations (parseDurationSeconds, parseVaultDuration) on 1 MB inputs", budget: 50, setup: () => [fill("1", "", "s"), fill("1h"), fill(" ", "", "1h")], run: (xs) => xs.map((x: string) => [parseDurationSeconds(x), parseVaultDuration(x)]) },
    { name: "vault-provider-tls: hostOf / ipv6Groups / the rule on 1 MB addresses", budget: 100, setup: () => [fill("a", "http://"), fill(":", "http://["), fill("1:", "http://[", "]"), fill("@", "http://u:p"), fill("0.", "http://127.")], run: (xs) => xs.map((x: string) => [hostOf(x), ipv6Groups(x), checkVaultProviderTls({ type: "pulumi:providers:vault", urn: "u", name: "v", props: { address: x } })]) },
    { name: "policy config schemas (patterns, maxLength) on 1 MB values", budget: 50, setup: () => POLICY_MODULES.map((m) => [m.meta, Object.fromEntries(Object.keys(schemaOf(m.meta).properties).map((k) => [k, fill("P1D")]))]), run: (xs) => xs.map(([meta, raw]: any) => resolveConfig(schemaOf(meta), raw)) },
    { name: "extraPatterns: a catastrophic user pattern is rejected, a vetted one runs on 1 MB", budget: 100, setup: () => fill("a", "", "!"), run: (s) => {
        const { compiled, errors } = compileExtraPatterns([{ id: "slow", pattern: "(a+)+$" }, { id: "corp", pattern: "corp_[a-z0-9]{20}" }]);
        if (compiled.some((c) => c.id === "slow") || errors.length !== 1) throw new Error("the catastrophic pattern was not rejected");
        return findCredentialFormats(s, { extra: compiled });
    } },
];
