// no-hardcoded-secrets, the pure logic. Two phases, because neither phase alone can be both strict and right:
//
// 1. Analyze (inputs, before the resource changes): scan every string leaf, including JSON held in strings, and
//    drop what stack config explains. What is left is a *candidate*: on a second run a value taken from an existing
//    resource (a random.RandomPassword result, say) is already known here and looks exactly like a literal.
//    A value from *plaintext* config is not a literal in the program: no-plaintext-secret-config reports it.
//    A value that equals (or is made of) an environment variable's value came from the environment: dropped too.
// 2. AnalyzeStack (outputs plus provenance): a candidate is dropped only when its secret text came from a resource
//    its property depends on (see confirmInStack); the rest are hard-coded and reported, even next to references in
//    the same property. AnalyzeStack runs in preview too, so a mandatory finding blocks the preview.
import { compileExtraPatterns, FORMAT_DETECTORS, redact } from "../detection";
import { cameFrom, configSourcesOf, isSecretStoreType } from "../detection/provenance";
import { Candidate, KEY_DETECTORS, scanProps } from "../detection/scan";
import { Finding, ResourceSubject, RuleContext, StackSubject } from "../lib/rule";
import { AllowEntry, matchesEntry } from "../lib/allowlist";
import { formatPath, PathSeg, walkStrings, Wire } from "../lib/wire";

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

let preparedMemo: { config: HardcodedSecretsConfig; key: string; value: Prepared } | undefined;

/** Compiles the user's extra patterns; memoised on the config's content, since Analyze calls it per resource. */
export function prepare(config: HardcodedSecretsConfig): Prepared {
    // The adapter hands every resource the same resolved config object until the config changes.
    if (preparedMemo?.config === config) return preparedMemo.value;
    const key = JSON.stringify([config.extraPatterns ?? [], config.disabledDetectors ?? []]);
    if (preparedMemo?.key === key) {
        preparedMemo.config = config;
        return preparedMemo.value;
    }
    const value = prepareUncached(config);
    preparedMemo = { config, key, value };
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

export interface AnalyzeResult {
    /** Hard-coded unless AnalyzeStack shows the property came from another resource. */
    candidates: Candidate[];
    /** Certain now: config problems and scan-depth notes. */
    findings: Finding[];
}

/** Phase 1: a resource's inputs. */
export function analyzeInputs(subject: ResourceSubject, config: HardcodedSecretsConfig, ctx: RuleContext, prepared = prepare(config)): AnalyzeResult {
    const findings: Finding[] = prepared.problems.map((message) => ({ message }));
    const candidates: Candidate[] = [];
    const cfg = ctx.stackConfig.available ? configSourcesOf(ctx.stackConfig) : undefined;
    let truncated: string | undefined;
    const onTruncated = (path: PathSeg[]) => (truncated ??= formatPath(path));
    const allowlist = config.allowlist ?? [];
    for (const c of scanProps(subject.type, subject.props, { ...prepared.opts, onTruncated })) {
        if (allowlist.length > 0 && isAllowed(allowlist, subject.urn, formatPath(c.path))) continue;
        if (ctx.environment && cameFrom(c, ctx.environment)) continue;
        // Explained by config: not hard-coded. From plaintext config, it is no-plaintext-secret-config's finding.
        if (cfg && (cfg.strings.has(c.match) || cameFrom(c, cfg.sources))) continue;
        candidates.push(c);
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

/** The URNs a top-level property's value came from, itself excluded. */
function dependenciesOf(r: StackSubject, top: string): string[] {
    // Own entries only: a property named "constructor" or "toString" must not read Object.prototype.
    const pd = r.propertyDependencies;
    const own = Object.prototype.hasOwnProperty.call(pd, top) ? pd[top] : undefined;
    // An SDK that sends no property dependencies at all still sends the resource's dependencies.
    const deps = Array.isArray(own) ? own : Object.keys(pd).length === 0 ? r.dependencies ?? [] : [];
    return deps.filter((d) => d !== r.urn);
}

/** Every string in a resource's outputs, JSON documents' leaves and secret-wrapped values included. */
function outputStrings(props: Wire): string[] {
    const out: string[] = [];
    walkStrings(props, (leaf) => {
        if (leaf.value.length > 0) out.push(leaf.value);
    });
    return out;
}

/**
 * Phase 2: provenance per value. A candidate is dropped only when its secret text came from a resource its
 * property depends on: it is found in (or made of) that resource's string outputs, or it is a secret read through
 * an invoke from a secret store the property depends on. Everything else is a literal, even when the same
 * property also holds references (a Lambda environment map, a container definition, a connection string). In
 * preview a new resource's outputs are unknown, so a fully known value cannot have come from them.
 */
export function confirmInStack(
    resources: StackSubject[],
    candidatesByUrn: ReadonlyMap<string, Candidate[]>,
): Finding[] {
    const out: Finding[] = [];
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const outputs = new Map<string, string[]>();
    const outputsOf = (r: StackSubject) => {
        let v = outputs.get(r.urn);
        if (!v) outputs.set(r.urn, (v = outputStrings(r.props)));
        return v;
    };
    for (const r of resources) {
        const cs = candidatesByUrn.get(r.urn);
        if (!cs || cs.length === 0) continue;
        for (const c of cs) {
            const deps = dependenciesOf(r, String(c.path[0]));
            if (deps.length > 0) {
                const sources = deps.map((d) => byUrn.get(d));
                // A dependency the engine did not send cannot be compared with: its value is not judged a literal.
                if (sources.some((d) => d === undefined)) continue;
                const found = sources as StackSubject[];
                if (c.secret && found.some((d) => isSecretStoreType(d.type))) continue;
                if (cameFrom(c, found.flatMap(outputsOf))) continue;
            }
            out.push({ message: hardcodedMessage(r, c), urn: r.urn });
        }
    }
    return out;
}
