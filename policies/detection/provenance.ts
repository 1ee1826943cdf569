// Provenance: could a string have come from somewhere other than the program's source text? Pure.
//
// A value is "explained" by a set of source strings (stack config values, other resources' outputs) when taking
// every occurrence of those strings out of it leaves nothing secret-shaped behind: `Bearer <secret config>` is
// explained, `hunter2-<region config>` is not.
import { StackConfigView } from "../lib/rule";

/** Sources shorter than this only explain a value they equal exactly (so `dev` or `true` cannot launder a secret). */
export const MIN_CONTAINED_SOURCE = 6;

/** Words that frame a secret without being part of it. */
const FRAMING_WORDS = /\b(?:bearer|basic|token|apikey|api[-_]key|key|secret|password|pwd|authorization|auth)\b/gi;

/** The remainder's alphanumeric content after framing words are removed. */
export function residue(s: string): string {
    return s.replace(FRAMING_WORDS, " ").replace(/[^A-Za-z0-9]+/g, "");
}

export interface Explanation {
    explained: boolean;
    /** What is left of the value once the sources are taken out. */
    remainder: string;
    /** The sources that occurred in the value. */
    used: string[];
}

/**
 * The same source lists (the environment's, a stack config's, a resource's outputs) come back for every candidate:
 * each array is deduplicated and sorted once.
 */
const sortedSources = new WeakMap<object, readonly string[]>();

/** `sources` without duplicates or empty strings, longest first. */
function longestFirst(sources: Iterable<string>): readonly string[] {
    const cached = Array.isArray(sources) ? sortedSources.get(sources) : undefined;
    if (cached) return cached;
    const sorted = [...new Set(sources)].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
    // Arrays only: a caller that changes an array after passing it would get a stale order, and none does (sources
    // are built once per operation and read only).
    if (Array.isArray(sources) && Object.isFrozen(sources)) sortedSources.set(sources, sorted);
    return sorted;
}

/**
 * Takes every occurrence of each source out of `value`. Sources are tried longest first, so a long secret that
 * contains a short config value is removed whole.
 */
export function removeSources(value: string, sources: Iterable<string>): Explanation {
    const sorted = longestFirst(sources);
    let remainder = value;
    const used: string[] = [];
    for (const src of sorted) {
        if (remainder === src) {
            used.push(src);
            remainder = "";
            break;
        }
        if (src.length < MIN_CONTAINED_SOURCE) continue;
        if (remainder.includes(src)) {
            used.push(src);
            remainder = remainder.split(src).join("\u0000");
        }
    }
    remainder = remainder.split("\u0000").join(" ");
    return { explained: used.length > 0 && residue(remainder).length < 4, remainder, used };
}

/** Every config value as a string, plus the string leaves of config values that hold JSON objects. */
export function configStrings(cfg: StackConfigView, onlySecret = false): Map<string, string[]> {
    const out = new Map<string, string[]>();
    const add = (v: string, key: string) => {
        const keys = out.get(v);
        if (keys) keys.push(key);
        else out.set(v, [key]);
    };
    for (const [key, value] of cfg.values) {
        if (onlySecret && !cfg.secretKeys.has(key)) continue;
        if (typeof value !== "string" || value.length === 0) continue;
        add(value, key);
        const t = value.trim();
        if ((t.startsWith("{") && t.endsWith("}")) || (t.startsWith("[") && t.endsWith("]"))) {
            try {
                const stack: unknown[] = [JSON.parse(t)];
                while (stack.length) {
                    const v = stack.pop();
                    if (typeof v === "string" && v.length > 0) add(v, key);
                    else if (Array.isArray(v)) stack.push(...v);
                    else if (v && typeof v === "object") stack.push(...Object.values(v as object));
                }
            } catch {
                // Not JSON after all: the whole string was added above.
            }
        }
    }
    return out;
}

/** A config view's strings (configStrings) and the same strings as a list of provenance sources. */
export interface ConfigSources {
    strings: Map<string, string[]>;
    sources: readonly string[];
}

const configSourcesCache = new WeakMap<StackConfigView, ConfigSources>();

/** configStrings of a view, and its sources, computed once per view (the view lives for the whole operation). */
export function configSourcesOf(view: StackConfigView): ConfigSources {
    let v = configSourcesCache.get(view);
    if (!v) {
        const strings = configStrings(view);
        configSourcesCache.set(view, (v = { strings, sources: Object.freeze([...strings.keys()]) }));
    }
    return v;
}

/**
 * Environment values shorter than this explain nothing: `CI=true`, `HOME=/root` or `SHLVL=1` would otherwise launder
 * any literal that happens to contain them.
 */
export const MIN_ENV_SOURCE = 8;

/**
 * Variables through which Pulumi hands stack config to a program (the checker runs the program in its own process,
 * so the pack inherits them). Config provenance is decided from ConfigureStack, which tells secret from plaintext
 * config; these must not explain a value as "from the environment".
 */
const CONFIG_CHANNELS: ReadonlySet<string> = new Set(["PULUMI_CONFIG", "PULUMI_CONFIG_SECRET_KEYS"]);

/** The environment's values that can explain a value (the pack inherits the Pulumi CLI's environment). */
export function environmentSources(env: Readonly<Record<string, string | undefined>>): readonly string[] {
    const out = new Set<string>();
    for (const [name, v] of Object.entries(env)) {
        if (typeof v === "string" && v.length >= MIN_ENV_SOURCE && !CONFIG_CHANNELS.has(name)) out.add(v);
    }
    // Frozen: removeSources may keep its sorted copy for the process's lifetime.
    return Object.freeze([...out]);
}

const BASE64_TOKEN = /^[A-Za-z0-9+/]{8,}={0,2}$/;

/** The text a base64 token encodes, when it is printable text (HTTP basic auth, kubeconfig fields); else undefined. */
export function decodeBase64Text(token: string): string | undefined {
    if (token.length % 4 !== 0 || !BASE64_TOKEN.test(token)) return undefined;
    const text = Buffer.from(token, "base64").toString("utf8");
    // Printable text only: random bytes decode to control characters or U+FFFD.
    return /^[\x20-\x7e\t\r\n\u00a0-\ufffc]+$/.test(text) ? text : undefined;
}

/** The value's own words after the sources are taken out: runs between separators of connection strings and URLs. */
const WORD_SEPARATORS = /[\s;,&?=:/@"'{}()[\]<>|]+/;

/** A word that reads like a credential rather than like structure: 8+ characters with three character classes. */
function secretLikeWord(w: string): boolean {
    if (w.length < 8) return false;
    let classes = 0;
    if (/[a-z]/.test(w)) classes++;
    if (/[A-Z]/.test(w)) classes++;
    if (/[0-9]/.test(w)) classes++;
    if (/[^A-Za-z0-9]/.test(w)) classes++;
    return classes >= 3;
}

/** What a candidate needs for the per-value comparison (a Candidate from scan.ts fits). */
export interface SecretText {
    kind: "format" | "key";
    /** The whole string leaf. */
    value: string;
    /** The secret text itself: the part a format detector matched, or the whole value at a secret-bearing key. */
    match: string;
}

/**
 * Per-value provenance: did this candidate's secret text come from `sources` (the string outputs of the resources
 * its property depends on) rather than from the program's source? It did when:
 * - the secret text equals a source, or sits inside one;
 * - the secret text is made of sources (what is left is framing: `Bearer <token>`, `<user>:<password>`);
 * - a base64 token of it decodes to text made of sources (HTTP basic auth, kubeconfig fields);
 * - for a literal at a secret-bearing key: sources fill part of the value and no word left reads like a credential
 *   (a connection string that interpolates a host and names a database, with no password in it).
 * A password written next to an interpolated host stays hard-coded: the format detector's match is the password
 * alone, and it is in no source.
 */
export function cameFrom(c: SecretText, sources: readonly string[]): boolean {
    return sourcesOf(c, sources) !== undefined;
}

/** The sources the candidate's secret text came from (see cameFrom), or undefined when it did not come from them. */
export function sourcesOf(c: SecretText, sources: readonly string[]): string[] | undefined {
    if (sources.length === 0) return undefined;
    const direct = madeOf(c.match, c.kind, sources);
    if (direct) return direct;
    // Derived by encoding: every base64 token in the text decodes to something the sources explain.
    const used: string[] = [];
    let rest = c.match;
    for (const t of c.match.split(/\s+/)) {
        const text = t.length > 0 ? decodeBase64Text(t) : undefined;
        if (text === undefined) continue;
        const from = madeOf(text, c.kind, sources);
        if (!from) return undefined;
        used.push(...from);
        rest = rest.split(t).join(" ");
    }
    return used.length > 0 && residue(rest).length < 4 ? [...new Set(used)] : undefined;
}

function madeOf(text: string, kind: SecretText["kind"], sources: readonly string[]): string[] | undefined {
    const holding = sources.filter((s) => s === text || (text.length >= MIN_CONTAINED_SOURCE && s.length > text.length && s.includes(text)));
    if (holding.length > 0) return holding;
    const e = removeSources(text, sources);
    if (e.explained) return e.used;
    if (kind === "key" && e.used.length > 0 && !e.remainder.split(WORD_SEPARATORS).some(secretLikeWord)) return e.used;
    return undefined;
}

/**
 * Resources a program reads secrets out of with an invoke (`aws.secretsmanager.getSecretVersionOutput`,
 * `gcp.secretmanager.getSecretVersionAccessOutput`, `azure.keyvault.getSecretOutput`, `vault.kv.getSecretV2Output`):
 * the result is not an output of the resource, but an invoke whose arguments are its outputs carries it as a
 * dependency. Type-token prefixes.
 */
export const SECRET_STORE_TYPE_PREFIXES: readonly string[] = [
    "aws:secretsmanager/",
    "aws:ssm/parameter:",
    "gcp:secretmanager/",
    "azure-native:keyvault:",
    "azure:keyvault/",
    "vault:",
];

export function isSecretStoreType(type: string): boolean {
    return SECRET_STORE_TYPE_PREFIXES.some((p) => type.startsWith(p));
}
