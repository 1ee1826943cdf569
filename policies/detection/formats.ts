// Credential FORMAT detection ("kind (a)"): strings that are secrets because of what they look like, wherever they
// appear. The detectors are declared once, as rows of the table in detectors.ts; this module runs them. Pure: no
// @pulumi imports, no dependencies.
//
// Speed (this runs on every string leaf of every resource during `pulumi preview`):
// - The prefilter is built from the rows' keywords: one case-insensitive pass over the string, in plain JavaScript
//   over typed tables (see keywordBits), that collects the rows whose keywords the string holds. Most property
//   strings (names, tags, ids, ARNs) hold no keyword and cost only that pass; a long document runs only the rows
//   whose keywords it holds.
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

/** Each keyword (lower-cased) and the rows it enables. */
const KEYWORD_BITS = new Map<string, number>();
DETECTORS.forEach((row, i) => {
    for (const k of row.keywords) {
        const kw = k.toLowerCase();
        if (kw.length < 2 || kw.length > 64 || !/^[\x20-\x7e]+$/.test(kw)) throw new Error(`detector ${row.id}: keyword ${JSON.stringify(k)} must be printable ASCII of 2 to 64 characters`);
        KEYWORD_BITS.set(kw, (KEYWORD_BITS.get(kw) ?? 0) | (1 << i));
    }
});
const KEYWORDS = [...KEYWORD_BITS.keys()];
const BITS = KEYWORDS.map((k) => KEYWORD_BITS.get(k)!);

/**
 * How common a character is in property values (names, ARNs, URLs, tags, JSON), most common first: a rough
 * ranking, used only to pick each keyword's anchor. A wrong guess costs speed, never a detection.
 */
const COMMON_CHARACTERS = " etaoinsrlcdmhupgf-./:_0123456789bywvkxjqz=~";
const commonness = (c: string): number => {
    const i = COMMON_CHARACTERS.indexOf(c);
    return i === -1 ? 0.001 : Math.pow(0.85, i);
};

/**
 * Each keyword's anchor: the offset of a rare pair of adjacent characters in it (`secret` is anchored on `cr`,
 * `token` on `ok`, `-----begin` on `-b`). The scan looks up the pair at every position and compares the whole
 * keyword only where an anchor pair stands, so ordinary text costs one table read per character. Keywords sharing
 * a pair share its comparisons, so a pair already taken counts as more common: longest keywords choose first, and
 * few keywords share an anchor (a 1 MB run of one anchor pair stays cheap).
 */
const ANCHOR: number[] = new Array(KEYWORDS.length).fill(0);
{
    const taken = new Map<string, number>();
    const order = KEYWORDS.map((_, k) => k).sort((a, b) => KEYWORDS[b].length - KEYWORDS[a].length);
    for (const k of order) {
        const kw = KEYWORDS[k];
        let score = Infinity;
        for (let o = 0; o + 1 < kw.length; o++) {
            const pair = kw.slice(o, o + 2);
            const sc = commonness(kw[o]) * commonness(kw[o + 1]) * (1 + 64 * (taken.get(pair) ?? 0));
            if (sc < score) [ANCHOR[k], score] = [o, sc];
        }
        const pair = kw.slice(ANCHOR[k], ANCHOR[k] + 2);
        taken.set(pair, (taken.get(pair) ?? 0) + 1);
    }
}

/**
 * The keywords' characters in the order they are compared, one keyword after another (keyword k's run starts at
 * CMP_START[k] and ends at CMP_START[k + 1]), with their offsets in the keyword: the characters after the anchor
 * first (where a near miss usually differs), then the ones before it and the anchor itself (checked too: the table
 * lookup masks characters to 7 bits). Flat typed arrays: this is the hottest loop of the pack.
 */
const CMP_START = new Int32Array(KEYWORDS.length + 1);
const CMP_OFFSET = new Int8Array(KEYWORDS.reduce((n, kw) => n + kw.length, 0));
const CMP_CODE = new Uint8Array(CMP_OFFSET.length);
/** How far before the anchor pair each keyword starts. */
const ANCHOR_AT = Int8Array.from(ANCHOR);
KEYWORDS.forEach((kw, k) => {
    let x = CMP_START[k];
    const put = (j: number) => {
        CMP_OFFSET[x] = j;
        CMP_CODE[x++] = kw.charCodeAt(j);
    };
    for (let j = ANCHOR[k] + 2; j < kw.length; j++) put(j);
    for (let j = 0; j < ANCHOR[k] + 2; j++) put(j);
    CMP_START[k + 1] = x;
});

/** Lower-cased ASCII for every UTF-16 code unit; 0 for everything else (no keyword holds it). */
const LOWER = new Uint8Array(65536);
for (let c = 1; c < 128; c++) LOWER[c] = c >= 65 && c <= 90 ? c + 32 : c;
/**
 * For each pair of 7-bit characters (`(a & 127) << 7 | (b & 127)`, in any letter case), the first keyword anchored on
 * it (-1: none); NEXT chains the rest. Masking to 7 bits lets a non-ASCII code unit alias an ASCII one: that costs a
 * keyword comparison (which reads the real characters), never a wrong answer.
 */
const HEAD = new Int16Array(128 * 128).fill(-1);
const NEXT = new Int16Array(KEYWORDS.length).fill(-1);
{
    const chains = new Map<number, number[]>();
    KEYWORDS.forEach((kw, k) => {
        const pair = (kw.charCodeAt(ANCHOR[k]) << 7) | kw.charCodeAt(ANCHOR[k] + 1);
        chains.set(pair, [...(chains.get(pair) ?? []), k]);
    });
    const cases = (c: number) => (c >= 97 && c <= 122 ? [c, c - 32] : [c]);
    for (const [pair, list] of chains) {
        list.forEach((k, i) => (NEXT[k] = i + 1 < list.length ? list[i + 1] : -1));
        for (const a of cases(pair >> 7)) for (const b of cases(pair & 127)) HEAD[(a << 7) | b] = list[0];
    }
}

/**
 * `bits` plus the rows of the keywords anchored on the pair of characters ending at `i` of `s` (`k`: the first of
 * them, from HEAD). A keyword whose rows are all enabled already is not compared again (a document full of "token").
 */
function keywordsAt(s: string, i: number, k: number, bits: number): number {
    const n = s.length;
    do {
        const at = i - 1 - ANCHOR_AT[k];
        const from = CMP_START[k];
        const to = CMP_START[k + 1];
        if ((BITS[k] & ~bits) !== 0 && at >= 0 && at + (to - from) <= n) {
            let x = from;
            while (x < to && LOWER[s.charCodeAt(at + CMP_OFFSET[x])] === CMP_CODE[x]) x++;
            if (x === to) bits |= BITS[k];
        }
        k = NEXT[k];
    } while (k !== -1);
    return bits;
}

/** Strings longer than this are read through BYTES, a chunk at a time (see longKeywordBits). */
const LONG_STRING = 4096;
const CHUNK = 64 * 1024;
/** One byte per UTF-16 code unit (latin1 keeps the low byte): what the anchor lookup masks to 7 bits anyway. */
const BYTES = Buffer.allocUnsafe(CHUNK);

/**
 * The rows whose keywords `s` holds, case-insensitive, in one pass with no allocation: at each position the pair of
 * characters there indexes the keywords anchored on it, and only those are compared (every occurrence counts,
 * overlapping ones too). Linear: few keywords share an anchor, and a comparison stops at the first differing
 * character. Stops early once every row is enabled.
 */
function keywordBits(s: string): number {
    const n = s.length;
    if (n > LONG_STRING) return longKeywordBits(s);
    let bits = 0;
    let a = s.charCodeAt(0) & 127;
    for (let i = 1; i < n; i++) {
        const b = s.charCodeAt(i) & 127;
        const k = HEAD[(a << 7) | b];
        a = b;
        if (k !== -1 && (bits = keywordsAt(s, i, k, bits)) === ALL_BITS) return bits;
    }
    return bits;
}

/**
 * keywordBits for a long string: the characters are copied into BYTES by a native write, a chunk at a time, and
 * the anchor lookup reads bytes (twice as fast on a document as reading the string; comparisons still read `s`).
 */
function longKeywordBits(s: string): number {
    const n = s.length;
    let bits = 0;
    let a = s.charCodeAt(0) & 127;
    for (let from = 1; from < n; from += CHUNK) {
        const len = Math.min(CHUNK, n - from);
        if (BYTES.write(s.slice(from, from + len), 0, len, "latin1") !== len) throw new Error("keyword prefilter: a latin1 write fell short");
        for (let q = 0; q < len; q++) {
            const b = BYTES[q] & 127;
            const k = HEAD[(a << 7) | b];
            a = b;
            if (k !== -1 && (bits = keywordsAt(s, from + q, k, bits)) === ALL_BITS) return bits;
        }
    }
    return bits;
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
    // The usual case: one span.
    if (flat.length === 2) return [[flat[0], flat[1]]];
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
