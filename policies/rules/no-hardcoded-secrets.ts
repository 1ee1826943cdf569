// no-hardcoded-secrets, the pure logic. Two phases, because neither phase alone can be both strict and right:
//
// 1. Analyze (inputs, before the resource changes): scan every string leaf, including JSON held in strings, and
//    drop what stack config explains. What is left is a *candidate*: on a second run a value taken from an existing
//    resource (a random.RandomPassword result, say) is already known here and looks exactly like a literal.
//    A credential-format value that comes from *plaintext* config is certain here, and is reported at once.
// 2. AnalyzeStack (outputs plus provenance): a candidate whose top-level property depends on another resource came
//    from that resource and is dropped; the rest are hard-coded and reported. AnalyzeStack runs in preview too,
//    so a mandatory finding blocks the preview.
import { compileExtraPatterns, FORMAT_DETECTORS, findCredentialFormats, redact } from "../detection";
import { configStrings, removeSources } from "../detection/provenance";
import { Candidate, KEY_DETECTORS, scanProps } from "../detection/scan";
import { Finding, ResourceSubject, RuleContext, StackConfigView, StackSubject } from "../lib/rule";
import { AllowEntry, matchesEntry } from "../lib/allowlist";
import { formatPath, PathSeg } from "../lib/wire";

export type { AllowEntry } from "../lib/allowlist";

export interface HardcodedSecretsConfig {
    allowlist: AllowEntry[];
    extraPatterns: { id: string; pattern: string }[];
    disabledDetectors: string[];
}

export const DETECTOR_IDS: string[] = [...FORMAT_DETECTORS.map((d) => d.id), ...KEY_DETECTORS.map((d) => d.id)];

/** Whether an entry accepts the finding; the caller passes only entries that have not expired (lib/allowlist.ts). */
export function isAllowed(allowlist: AllowEntry[], urn: string, path: string): boolean {
    return allowlist.some((a) => matchesEntry(a, urn, path));
}

export interface Prepared {
    opts: { disabled: ReadonlySet<string>; extra: { id: string; re: RegExp }[] };
    problems: string[];
}

let preparedMemo: { key: string; value: Prepared } | undefined;

/** Compiles the user's extra patterns; memoised on the config's content, since Analyze calls it per resource. */
export function prepare(config: HardcodedSecretsConfig): Prepared {
    const key = JSON.stringify([config.extraPatterns ?? [], config.disabledDetectors ?? []]);
    if (preparedMemo?.key === key) return preparedMemo.value;
    const value = prepareUncached(config);
    preparedMemo = { key, value };
    return value;
}

function prepareUncached(config: HardcodedSecretsConfig): Prepared {
    const { compiled, errors } = compileExtraPatterns(config.extraPatterns ?? []);
    const problems = errors.map((e) => `invalid configuration for policy 'no-hardcoded-secrets': extraPatterns: ${e}`);
    const unknownDetectors = (config.disabledDetectors ?? []).filter((d) => !DETECTOR_IDS.includes(d));
    if (unknownDetectors.length) {
        problems.push(`invalid configuration for policy 'no-hardcoded-secrets': disabledDetectors names unknown detectors ` +
            `${unknownDetectors.map((d) => JSON.stringify(d.slice(0, 40))).join(", ")}; known: ${DETECTOR_IDS.join(", ")}`);
    }
    return { opts: { disabled: new Set(config.disabledDetectors ?? []), extra: compiled }, problems };
}

function describe(subject: { type: string; name: string }, c: Candidate): string {
    return `${subject.type} '${subject.name}' property ${formatPath(c.path)}`;
}

export function hardcodedMessage(subject: { type: string; name: string }, c: Candidate): string {
    return `${describe(subject, c)} holds a hard-coded secret (detector: ${c.detector}, ${c.label}): ${redact(c.match)}. ` +
        "Move it to secret config (`pulumi config set --secret <key>` and `config.requireSecret(\"<key>\")`) " +
        "or read it from a secret store, and rotate the exposed value.";
}

function plaintextConfigMessage(subject: { type: string; name: string }, c: Candidate, keys: string[]): string {
    return `${describe(subject, c)} takes a credential (detector: ${c.detector}, ${c.label}) from plaintext stack config ` +
        `${keys.map((k) => `'${k}'`).join(", ")}: ${redact(c.match)}. It is stored unencrypted in Pulumi.<stack>.yaml: ` +
        `run \`pulumi config set --secret ${keys[0].replace(/^[^:]*:/, "")} <value>\` and rotate the exposed value.`;
}

const configStringsCache = new WeakMap<StackConfigView, Map<string, string[]>>();

/** The config's strings, computed once per config view (the view lives for the whole operation). */
function cachedConfigStrings(view: StackConfigView): Map<string, string[]> {
    let v = configStringsCache.get(view);
    if (!v) {
        v = configStrings(view);
        configStringsCache.set(view, v);
    }
    return v;
}

export interface AnalyzeResult {
    /** Hard-coded unless AnalyzeStack shows the property came from another resource. */
    candidates: Candidate[];
    /** Certain now: credentials taken from plaintext config, and config problems. */
    findings: Finding[];
}

/** Phase 1: a resource's inputs. */
export function analyzeInputs(subject: ResourceSubject, config: HardcodedSecretsConfig, ctx: RuleContext, prepared = prepare(config)): AnalyzeResult {
    const findings: Finding[] = prepared.problems.map((message) => ({ message }));
    const candidates: Candidate[] = [];
    const cfg = ctx.stackConfig.available ? cachedConfigStrings(ctx.stackConfig) : new Map<string, string[]>();
    const secretKeys = ctx.stackConfig.secretKeys;
    let truncated: string | undefined;
    const onTruncated = (path: PathSeg[]) => (truncated ??= formatPath(path));
    for (const c of scanProps(subject.type, subject.props, { ...prepared.opts, onTruncated })) {
        if (isAllowed(config.allowlist ?? [], subject.urn, formatPath(c.path))) continue;
        const exact = cfg.get(c.value);
        const explanation = exact ? { explained: true, remainder: "", used: [c.value] } : removeSources(c.value, cfg.keys());
        if (!explanation.explained) {
            if (c.kind === "format" && explanation.used.length > 0) {
                // Config explains part of the value; what matters is whether the credential itself is left.
                const still = findCredentialFormats(explanation.remainder, prepared.opts).some((h) => h.detector === c.detector);
                if (!still) continue;
            }
            candidates.push(c);
            continue;
        }
        if (c.kind !== "format") continue;
        // Explained by config. Fine if any source is secret config; a credential in plaintext config is a finding.
        const keys = explanation.used.flatMap((v) => cfg.get(v) ?? []);
        const plaintextKeys = keys.filter((k) => !secretKeys.has(k));
        const fromSecret = keys.some((k) => secretKeys.has(k));
        if (!fromSecret && plaintextKeys.length > 0) {
            findings.push({ message: plaintextConfigMessage(subject, c, [...new Set(plaintextKeys)]), urn: subject.urn });
        }
    }
    if (truncated !== undefined) {
        // Never a silent pass: say what was not scanned (advisory: nothing was found, but nothing could be).
        findings.push({
            urn: subject.urn,
            level: "advisory",
            message: `${subject.type} '${subject.name}' property ${truncated} is nested too deeply to scan for secrets ` +
                "(more than 256 levels); values below it were not checked. Flatten the value or allowlist the resource.",
        });
    }
    return { candidates, findings };
}

/** Phase 2: keep the candidates whose property came from no other resource. */
export function confirmInStack(
    resources: StackSubject[],
    candidatesByUrn: ReadonlyMap<string, Candidate[]>,
): Finding[] {
    const out: Finding[] = [];
    for (const r of resources) {
        const cs = candidatesByUrn.get(r.urn);
        if (!cs || cs.length === 0) continue;
        for (const c of cs) {
            const top = String(c.path[0]);
            // Own entries only: a property named "constructor" or "toString" must not read Object.prototype.
            const own = Object.prototype.hasOwnProperty.call(r.propertyDependencies, top) ? r.propertyDependencies[top] : undefined;
            const deps = Array.isArray(own) ? own : [];
            if (deps.some((d) => d !== r.urn)) continue;
            out.push({ message: hardcodedMessage(r, c), urn: r.urn });
        }
    }
    return out;
}
