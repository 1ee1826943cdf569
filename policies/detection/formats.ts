// Credential FORMAT detection ("kind (a)"): strings that are secrets because of what they look like, wherever they
// appear. The detectors are declared once, as rows of the table in detectors.ts; this module runs them. Pure: no
// @pulumi imports, no dependencies.
//
// Speed (this runs on every string leaf of every resource during `pulumi preview`):
// - The prefilter is built from the rows' keywords: one case-insensitive pass over the string. A short string is
//   tested with one `i` regex over all keywords (irregexp is fastest there); when it holds one, a table scan (the
//   lower-cased pair of characters at each position indexes the keywords that can start there) collects the rows
//   to run. A longer string is lower-cased once and scanned by one regex over all keywords (see scanLongKeywords).
//   Most property strings (names, tags, ids, ARNs) hold no keyword and cost only the first pass; a long document
//   runs only the rows whose keywords it holds.
// - A property key naming a secret (see a row's `keyNames`) enables its row without a keyword; memoised per key.
// ReDoS safety: see detectors.ts and README.md. Built-in rows have NO input-length bound. User extra patterns
// (vetted by compileExtraPatterns in extra-patterns.ts) run on at most the first EXTRA_PATTERN_MAX_INPUT characters.
import { bodyOk, Ctx, DETECTORS, DetectorRow, each, MAX_HITS_PER_DETECTOR, VAULT_LEGACY_LENGTH } from "./detectors";
import type { CompiledPattern } from "./extra-patterns";
import { KEY_CACHE_MAX, keyTokens } from "./keys";

export { MAX_HITS_PER_DETECTOR };

export interface FormatDetector {
    id: string;
    label: string;
    description: string;
}

export interface FormatHit {
    detector: string;
    label: string;
    start: number;
    end: number;
}

export interface FindOptions {
    /** Detector ids to skip. */
    disabled?: ReadonlySet<string>;
    /** Compiled extra patterns (from compileExtraPatterns). */
    extra?: CompiledPattern[];
    /**
     * The property key the string sits at, when known. Lets context-dependent formats (a bare AWS secret access key,
     * a bare Azure account key) be recognised when the key names them.
     */
    key?: string;
}

/** User patterns run on at most this many leading characters of a string (built-in detectors have no bound). */
export const EXTRA_PATTERN_MAX_INPUT = 1024 * 1024;

/**
 * The shortest string any built-in detector can match: `a://:p@h` (a password in a URL) has 8 characters; every other
 * row needs more (`pwd=x` needs a `server=`-style pair beside it, an assignment needs an 8-character value). Shorter
 * strings are not scanned (scan.ts uses this too). The detector-examples test checks no row's example is shorter.
 */
export const MIN_FORMAT_LENGTH = 8;

/** The detectors' ids, labels and descriptions (derived from the table). */
export const FORMAT_DETECTORS: readonly FormatDetector[] = DETECTORS.map(({ id, label, description }) => ({ id, label, description }));

// ---------------------------------------------------------------------------------------------------------------
// The rows, compiled

interface Compiled {
    id: string;
    label: string;
    bit: number;
    generic: boolean;
    run: (c: Ctx) => void;
}

function compileRow(row: DetectorRow): (c: Ctx) => void {
    if (row.custom) return row.custom;
    if (!row.regex || !row.regex.global) throw new Error(`detector ${row.id}: a row needs a global regex or a custom function`);
    const g = row.secretGroup ?? 0;
    // Group spans need the regex's match indices (`d`); the whole match needs none.
    const re = g > 0 && !row.regex.flags.includes("d") ? new RegExp(row.regex.source, row.regex.flags + "d") : row.regex;
    const check = row.check;
    const bodyGroups = check?.group === undefined ? [] : Array.isArray(check.group) ? check.group : [check.group];
    return (c) => each(re, c, (m) => {
        if (check) {
            let body = m[g];
            for (const k of bodyGroups) {
                if (m[k] !== undefined) {
                    body = m[k];
                    break;
                }
            }
            if (body === undefined || !bodyOk(check, body)) return;
        }
        if (g === 0) c.push(m.index, m.index + m[0].length);
        else {
            const at = (m as RegExpExecArray & { indices?: ([number, number] | undefined)[] }).indices?.[g];
            if (at) c.push(at[0], at[1]);
        }
    });
}

if (DETECTORS.length > 31) throw new Error("the gate keeps one bit per detector: at most 31 rows");

/** Specific rows first, generic rows (which yield to the specific ones) last. */
const ROWS: readonly Compiled[] = DETECTORS.map((row, i) => ({ id: row.id, label: row.label, bit: 1 << i, generic: row.generic === true, run: compileRow(row) }))
    .sort((a, b) => Number(a.generic) - Number(b.generic));
const ALL_BITS = DETECTORS.reduce((b, _, i) => b | (1 << i), 0);
const VAULT_BIT = 1 << DETECTORS.findIndex((r) => r.id === "vault-token");

// ---------------------------------------------------------------------------------------------------------------
// The keyword prefilter

/** Each keyword (lower-cased) and the rows it enables, including the rows of every keyword it contains. */
const KEYWORD_BITS = new Map<string, number>();
DETECTORS.forEach((row, i) => {
    for (const k of row.keywords) {
        const kw = k.toLowerCase();
        if (kw.length < 2 || !/^[\x20-\x7e]+$/.test(kw)) throw new Error(`detector ${row.id}: keyword ${JSON.stringify(k)} must be printable ASCII of 2+ characters`);
        KEYWORD_BITS.set(kw, (KEYWORD_BITS.get(kw) ?? 0) | (1 << i));
    }
});
const escapeKeyword = (k: string) => k.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
/** Every keyword, case-insensitive: on a short string irregexp finds out whether there is one fastest. */
const ANY_KEYWORD_RE = new RegExp([...KEYWORD_BITS.keys()].map(escapeKeyword).join("|"), "i");
/** Strings up to this long are tested with ANY_KEYWORD_RE first; longer ones go straight to the table scan. */
const SHORT_STRING = 256;

/** Lower-cased ASCII for every UTF-16 code unit; 0 for everything else (no keyword holds it). */
const LOWER = new Uint8Array(65536);
for (let c = 1; c < 128; c++) LOWER[c] = c >= 65 && c <= 90 ? c + 32 : c;
const KEYWORDS = [...KEYWORD_BITS.keys()];
const BITS = KEYWORDS.map((k) => KEYWORD_BITS.get(k)!);
/** For each lower-cased pair of characters, the first keyword starting with it (-1: none); NEXT chains the rest. */
const HEAD = new Int16Array(128 * 128).fill(-1);
const NEXT = new Int16Array(KEYWORDS.length).fill(-1);
KEYWORDS.forEach((kw, k) => {
    const pair = (kw.charCodeAt(0) << 7) | kw.charCodeAt(1);
    NEXT[k] = HEAD[pair];
    HEAD[pair] = k;
});

/**
 * The rows whose keywords `s` holds, case-insensitive, in one pass: at each position the lower-cased pair of
 * characters there indexes the keywords that can start at it (all occurrences count, overlapping ones too).
 */
function scanKeywords(s: string): number {
    const n = s.length;
    let bits = 0;
    let a = LOWER[s.charCodeAt(0)];
    for (let i = 1; i < n; i++) {
        const b = LOWER[s.charCodeAt(i)];
        let k = HEAD[(a << 7) | b];
        a = b;
        while (k !== -1) {
            const kw = KEYWORDS[k];
            const at = i - 1;
            if (at + kw.length <= n) {
                let j = 2;
                while (j < kw.length && LOWER[s.charCodeAt(at + j)] === kw.charCodeAt(j)) j++;
                if (j === kw.length && (bits |= BITS[k]) === ALL_BITS) return bits;
            }
            k = NEXT[k];
        }
    }
    return bits;
}

/** A regex over the keywords that can still enable a row not in `bits`, lower case, longest first; null: none. */
function keywordRegex(bits: number): RegExp | null {
    const left = KEYWORDS.filter((_, k) => (BITS[k] & ~bits) !== 0).sort((a, b) => b.length - a.length);
    return left.length ? new RegExp(left.map(escapeKeyword).join("|"), "g") : null;
}

/** Every keyword: run on a lower-cased copy of a long string. */
const KEYWORD_RE = keywordRegex(0)!;
/** Narrower regexes, by the rows already enabled (a handful of distinct sets occur; bounded). */
const NARROWER = new Map<number, RegExp | null>();
/** After this many occurrences that enable nothing new, the scan continues with a regex without those keywords. */
const USELESS_HITS = 64;

/**
 * The rows whose keywords a long string holds: one native lower-casing, then a case-sensitive regex pass that
 * restarts one character after each occurrence (so overlapping keywords all count). A document full of one
 * keyword ("AKIA" x 250,000) would cost a match per occurrence: after USELESS_HITS occurrences that enable nothing
 * new, the pass goes on with a regex over the keywords that still can (at most one switch per row).
 */
function scanLongKeywords(s: string): number {
    const lower = s.toLowerCase();
    let bits = 0;
    let useless = 0;
    let re: RegExp | null = KEYWORD_RE;
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(lower)) !== null) {
        const before = bits;
        if ((bits |= KEYWORD_BITS.get(m[0]) ?? 0) === ALL_BITS) return bits;
        const next = m.index + 1;
        if (bits !== before) useless = 0;
        else if (++useless === USELESS_HITS) {
            useless = 0;
            re = NARROWER.get(bits) ?? null;
            if (!NARROWER.has(bits)) {
                if (NARROWER.size >= 256) NARROWER.clear();
                NARROWER.set(bits, (re = keywordRegex(bits)));
            }
            if (re === null) return bits;
        }
        re.lastIndex = next;
    }
    return bits;
}

/** The rows whose keywords `s` holds. Most strings hold none: one pass, no allocation. */
function keywordBits(s: string): number {
    if (s.length > SHORT_STRING) return scanLongKeywords(s);
    return ANY_KEYWORD_RE.test(s) ? scanKeywords(s) : 0;
}

const keyBitsCache = new Map<string, number>();
const KEYED_ROWS = DETECTORS.flatMap((row, i) => (row.keyNames ? [{ bit: 1 << i, ...row.keyNames }] : []));
/** Shorter strings cannot be a bare secret at a key naming it: the key is not even looked up. */
const KEYED_MIN_LENGTH = Math.min(...KEYED_ROWS.map((r) => r.minLength));

/** The rows a property key alone enables (a bare AWS secret key or Azure account key at a key naming it). */
function keyBits(key: string): number {
    let b = keyBitsCache.get(key);
    if (b === undefined) {
        const t = keyTokens(key);
        b = 0;
        for (const r of KEYED_ROWS) if (r.names(t)) b |= r.bit;
        if (keyBitsCache.size >= KEY_CACHE_MAX) keyBitsCache.clear();
        keyBitsCache.set(key, b);
    }
    return b;
}

/** Which rows can possibly match `s` (at the property key `key`). */
function candidateRows(s: string, key: string | undefined): number {
    let bits = keywordBits(s);
    if (key !== undefined && s.length >= KEYED_MIN_LENGTH) bits |= keyBits(key);
    // A legacy Vault token is recognised when it is the whole (trimmed) string, with no keyword.
    if (s.length >= VAULT_LEGACY_LENGTH && s.length < 64 && s.trim().length === VAULT_LEGACY_LENGTH) bits |= VAULT_BIT;
    return bits;
}

// ---------------------------------------------------------------------------------------------------------------

/** Sorts flat [start, end, start, end, ...] spans and merges overlapping ones: one detector reports a span once. */
function mergeSpans(flat: number[]): [number, number][] {
    const pairs: [number, number][] = [];
    for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i], flat[i + 1]]);
    if (pairs.length > 1) pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const out: [number, number][] = [];
    for (const p of pairs) {
        const last = out[out.length - 1];
        if (last && p[0] < last[1]) last[1] = Math.max(last[1], p[1]);
        else out.push(p);
    }
    return out;
}

const NO_OPTIONS: FindOptions = {};
/** The answer for most strings: shared, frozen (a caller that tried to change it would throw, not corrupt it). */
const NO_HITS: FormatHit[] = Object.freeze([]) as unknown as FormatHit[];

/**
 * Every credential format found in `s`, as [start, end) spans, sorted by start. A detector reports a span once;
 * different detectors may report overlapping spans (a service-account JSON is also a PEM), except a generic row
 * (the assignment form), whose spans give way to any specific row's.
 */
export function findCredentialFormats(s: string, opts: FindOptions = NO_OPTIONS): FormatHit[] {
    if (typeof s !== "string" || s.length === 0) return NO_HITS;
    const extra = opts.extra;
    const bits = s.length >= MIN_FORMAT_LENGTH ? candidateRows(s, opts.key) : 0;
    if (bits === 0 && (extra === undefined || extra.length === 0)) return NO_HITS;
    const out: FormatHit[] = [];
    const disabled = opts.disabled;
    if (bits !== 0) {
        let spans: number[] = [];
        const ctx: Ctx = {
            s,
            keyTokens: opts.key !== undefined ? keyTokens(opts.key) : undefined,
            budget: 0,
            push(start, end) {
                spans.push(start, end);
                ctx.budget--;
            },
        };
        let specific = 0;
        for (const row of ROWS) {
            if ((bits & row.bit) === 0 || (disabled !== undefined && disabled.has(row.id))) continue;
            ctx.budget = MAX_HITS_PER_DETECTOR;
            row.run(ctx);
            if (spans.length === 0) continue;
            for (const [start, end] of mergeSpans(spans)) {
                if (row.generic && out.some((h, i) => i < specific && h.start < end && start < h.end)) continue;
                out.push({ detector: row.id, label: row.label, start, end });
            }
            if (!row.generic) specific = out.length;
            spans = [];
        }
    }
    if (extra && extra.length > 0) {
        const input = s.length > EXTRA_PATTERN_MAX_INPUT ? s.slice(0, EXTRA_PATTERN_MAX_INPUT) : s;
        const c = { s: input, budget: 0 };
        for (const { id, re } of extra) {
            if (disabled && disabled.has(id)) continue;
            const g = re.global ? re : new RegExp(re.source, re.flags + "g");
            c.budget = MAX_HITS_PER_DETECTOR;
            each(g, c, (m) => {
                if (m[0].length === 0) return;
                out.push({ detector: id, label: `custom pattern ${id}`, start: m.index, end: m.index + m[0].length });
                c.budget--;
            });
        }
    }
    if (out.length > 1) out.sort((a, b) => a.start - b.start || a.end - b.end);
    return out;
}
