// Values exactly as the Pulumi engine puts them on the Analyzer wire: secrets wrapped in a signature object,
// unknowns as sentinel strings. Pure: no @pulumi imports, so rules and their tests can use it on literals.

export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const RESOURCE_REF_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
export const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
export const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";

export const UNKNOWN_BOOL = "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7";
export const UNKNOWN_NUMBER = "3eeb2bf0-c639-47a8-9e75-3b44932eb421";
export const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
export const UNKNOWN_ARRAY = "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2";
export const UNKNOWN_ASSET = "030794c1-ac77-496b-92df-f27374a8bd58";
export const UNKNOWN_ARCHIVE = "e48ece36-62e2-4504-bad9-02848725956a";
export const UNKNOWN_OBJECT = "dd056dcd-154b-4c76-9bd3-c8f88648b5ff";

const UNKNOWNS: ReadonlySet<string> = new Set([
    UNKNOWN_BOOL, UNKNOWN_NUMBER, UNKNOWN_STRING, UNKNOWN_ARRAY, UNKNOWN_ASSET, UNKNOWN_ARCHIVE, UNKNOWN_OBJECT,
]);

/** A property value as the engine sends it (google.protobuf.Value turned into JavaScript). */
export type Wire = null | boolean | number | string | Wire[] | { [key: string]: Wire };
export type WireObject = { [key: string]: Wire };
export type PathSeg = string | number;

/** The sentinels by their first character: a 36-character string (a GUID, a tenant id) is told apart without hashing it. */
const UNKNOWNS_BY_FIRST: (string[] | undefined)[] = [];
for (const u of UNKNOWNS) (UNKNOWNS_BY_FIRST[u.charCodeAt(0)] ??= []).push(u);

export function isUnknown(v: unknown): boolean {
    if (typeof v !== "string" || v.length !== 36) return false;
    const candidates = UNKNOWNS_BY_FIRST[v.charCodeAt(0)];
    if (candidates === undefined) return false;
    for (let i = 0; i < candidates.length; i++) if (candidates[i] === v) return true;
    return false;
}

export function isPlainObject(v: unknown): v is WireObject {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function isSecretWrapper(v: unknown): v is { [SIG_KEY]: string; value?: Wire } {
    return isPlainObject(v) && v[SIG_KEY] === SECRET_SIG;
}

/** Strips any number of nested secret wrappers; says whether there was one. */
export function unwrapSecret(v: Wire | undefined): { value: Wire | undefined; secret: boolean } {
    let secret = false;
    let cur: Wire | undefined = v;
    while (isSecretWrapper(cur)) {
        secret = true;
        cur = (cur as WireObject).value;
    }
    return { value: cur, secret };
}

export type ReadResult =
    | { kind: "absent" }
    | { kind: "unknown"; path: PathSeg[] }
    | { kind: "known"; value: Wire; secret: boolean };

/**
 * Reads the value at `path`, stepping through secret wrappers. Says "unknown" when the value, or any container on
 * the way to it, is an unknown sentinel, and "absent" when the path does not exist or the value is null.
 */
export function read(root: Wire | undefined, path: PathSeg[]): ReadResult {
    let secret = false;
    let cur: Wire | undefined = root;
    for (let i = 0; i <= path.length; i++) {
        const u = unwrapSecret(cur);
        secret = secret || u.secret;
        cur = u.value;
        if (cur === undefined || cur === null) {
            return { kind: "absent" };
        }
        if (isUnknown(cur)) {
            return { kind: "unknown", path: path.slice(0, i) };
        }
        if (i === path.length) {
            break;
        }
        const seg = path[i];
        if (typeof seg === "number") {
            if (!Array.isArray(cur)) {
                return { kind: "absent" };
            }
            cur = cur[seg];
        } else {
            if (!isPlainObject(cur) || !Object.prototype.hasOwnProperty.call(cur, seg)) {
                return { kind: "absent" };
            }
            cur = cur[seg];
        }
    }
    return { kind: "known", value: cur as Wire, secret };
}

/** A tri-state reading of a property that should hold one scalar type. */
export type Scalar<T> = { kind: "absent" } | { kind: "unknown" } | { kind: "known"; value: T } | { kind: "invalid"; value: Wire };

function scalar<T>(r: ReadResult, test: (v: Wire) => v is Wire & T): Scalar<T> {
    if (r.kind !== "known") {
        return r.kind === "unknown" ? { kind: "unknown" } : { kind: "absent" };
    }
    return test(r.value) ? { kind: "known", value: r.value as T } : { kind: "invalid", value: r.value };
}

export function readString(root: Wire | undefined, path: PathSeg[]): Scalar<string> {
    return scalar<string>(read(root, path), (v): v is string => typeof v === "string");
}

export function readBool(root: Wire | undefined, path: PathSeg[]): Scalar<boolean> {
    // Providers accept "true"/"false" strings for booleans; the provider's Check normalises them, but state
    // exports and raw inputs may still carry strings.
    const r = read(root, path);
    if (r.kind === "known" && typeof r.value === "string" && (r.value === "true" || r.value === "false")) {
        return { kind: "known", value: r.value === "true" };
    }
    return scalar<boolean>(r, (v): v is boolean => typeof v === "boolean");
}

export function readNumber(root: Wire | undefined, path: PathSeg[]): Scalar<number> {
    const r = read(root, path);
    if (r.kind === "known" && typeof r.value === "string" && /^-?\d+(\.\d+)?$/.test(r.value.trim())) {
        return { kind: "known", value: Number(r.value.trim()) };
    }
    return scalar<number>(r, (v): v is number => typeof v === "number" && Number.isFinite(v));
}

/** Formats a path the way users write it in their programs: `properties.accessPolicies[0]`, `dataJson{json}.api_key`. */
export function formatPath(path: PathSeg[]): string {
    let out = "";
    for (const seg of path) {
        if (typeof seg === "number") {
            out += `[${seg}]`;
        } else if (seg === JSON_MARK) {
            out += "{json}";
        } else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) {
            out += out ? `.${seg}` : seg;
        } else {
            out += `[${JSON.stringify(seg.length > 64 ? seg.slice(0, 61) + "..." : seg)}]`;
        }
    }
    return out || "(root)";
}

/** Path segment that marks a step into a JSON document held in a string. */
export const JSON_MARK = "\u0000json";

/** A string found by walkStrings. Valid during the visit call only: copy what you keep (the walk may reuse it). */
export interface StringLeaf {
    /** Where the leaf is. Built on first read: most leaves are never reported, so their paths are never built. */
    readonly path: PathSeg[];
    /** Number of path segments (`path.length`), without building the path. */
    depth: number;
    /** The nearest object key above the leaf (inside JSON documents too); undefined for top-level array items. */
    key: string | undefined;
    value: string;
    /** Secret-wrapped on the wire, at this level or above. */
    secret: boolean;
    /** Found inside a JSON document held in a string. */
    inJson: boolean;
    /** The string itself holds a JSON object or array, which the walk enters next. */
    holdsJson: boolean;
    /** The object or array holding the leaf (secret wrappers looked through): `path[depth - 1]` indexes it. */
    readonly holder: unknown;
    /** The top-level property the leaf is under (`path[0]`), without building the path; undefined at the root. */
    readonly root: PathSeg | undefined;
}

export interface WalkOptions {
    /** Parse strings that hold JSON objects or arrays and walk into them. Default true. */
    parseJson?: boolean;
    /** Containers deeper than this are not entered (the walk says so through onTruncated). Default 256. */
    maxDepth?: number;
    /** Strings longer than this are not parsed as JSON (they are still visited as strings). Default 4 MiB. */
    maxJsonLength?: number;
    onTruncated?: (path: PathSeg[]) => void;
}

function looksLikeJsonContainer(s: string): boolean {
    let i = 0;
    while (i < s.length && (s[i] === " " || s[i] === "\n" || s[i] === "\r" || s[i] === "\t")) i++;
    const c = s[i];
    if (c !== "{" && c !== "[") return false;
    let j = s.length - 1;
    while (j > i && (s[j] === " " || s[j] === "\n" || s[j] === "\r" || s[j] === "\t")) j--;
    return (c === "{" && s[j] === "}") || (c === "[" && s[j] === "]");
}

/**
 * Whether a JSON text nests no deeper than `limit` containers: one linear pass. A string's first few characters are
 * read one by one, the rest skipped by native searches for the next quote (escaped when an odd run of backslashes
 * stands before it); an escape met on the way is stepped over, so text full of escapes costs no more than a
 * character loop.
 */
/**
 * jsonNestingWithin reads this many characters of a string itself before searching for its closing quote: a native
 * search costs more than a few reads (measured: 6 keeps a 1 MB array of one-character strings faster than a plain
 * character loop, and IAM and Kubernetes documents about 1.3x faster).
 */
const SHORT_STRING = 6;

export function jsonNestingWithin(s: string, limit: number): boolean {
    let depth = 0;
    const n = s.length;
    for (let i = 0; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c === 34 /* " */) {
            let j = i + 1;
            for (;;) {
                if (j >= n) return true; // unterminated: not JSON, and JSON.parse says so
                const d = s.charCodeAt(j);
                if (d === 34) break;
                if (d === 92 /* \\ */) {
                    j += 2;
                    continue;
                }
                if (j - i <= SHORT_STRING) {
                    // Short strings (most keys and values) are read here: a native search costs more than a few reads.
                    j++;
                    continue;
                }
                // s[j] is neither a quote nor a backslash, so the backslashes before the next quote lie after it.
                const q = s.indexOf('"', j);
                if (q === -1) return true;
                let b = q - 1;
                while (s.charCodeAt(b) === 92) b--;
                j = q;
                if ((q - 1 - b) % 2 === 0) break;
                j++;
            }
            i = j;
        } else if (c === 91 /* [ */ || c === 123 /* { */) {
            if (++depth > limit) return false;
        } else if (c === 93 /* ] */ || c === 125 /* } */) {
            depth--;
        }
    }
    return true;
}

/** The deepest a walk can be asked to go: the walk recurses once per container, so it is bounded here. */
const MAX_WALK_DEPTH = 1024;
const DEFAULT_MAX_DEPTH = 256;
const DEFAULT_MAX_JSON_LENGTH = 4 * 1024 * 1024;
/** The constants the walk compares with, as module locals (exported ones are loads from `exports` once compiled). */
const SIG = SIG_KEY, SECRET = SECRET_SIG, REF = RESOURCE_REF_SIG, ASSET = ASSET_SIG, ARCHIVE = ARCHIVE_SIG, MARK = JSON_MARK;
const NOOP_VISIT = (): void => undefined;

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * A walk, and the one leaf it hands its visitor, pointed at each string in turn. The path is the walk's own segment
 * stack (`segs[0..depth)`), copied into an array only when someone reads `path`: most leaves are never reported, so
 * their paths are never built. Walkers are pooled: a walk allocates nothing per leaf or per container beyond an
 * object's key list.
 */
class Walker implements StringLeaf {
    value = "";
    key: string | undefined = undefined;
    secret = false;
    inJson = false;
    holdsJson = false;
    depth = 0;
    readonly segs: PathSeg[] = [];
    cached: PathSeg[] | undefined = undefined;
    visit: (leaf: StringLeaf) => void = NOOP_VISIT;
    parseJson = true;
    maxDepth = DEFAULT_MAX_DEPTH;
    maxJsonLength = DEFAULT_MAX_JSON_LENGTH;
    onTruncated: ((path: PathSeg[]) => void) | undefined = undefined;

    holder: unknown = undefined;

    get path(): PathSeg[] {
        return (this.cached ??= this.segs.slice(0, this.depth));
    }

    get root(): PathSeg | undefined {
        return this.depth > 0 ? this.segs[0] : undefined;
    }

    /** The value at segs[0..depth). */
    walk(v: unknown, depth: number, key: string | undefined, secret: boolean, inJson: boolean): void {
        // Loops only to look through secret wrappers (nested ones too) at the same depth.
        for (;;) {
            if (typeof v === "string") {
                if (v.length === 36 && isUnknown(v)) return;
                this.visitString(v, depth, key, secret, inJson);
                return;
            }
            if (typeof v !== "object" || v === null) return;
            const segs = this.segs;
            if (Array.isArray(v)) {
                if (depth >= this.maxDepth) {
                    this.onTruncated?.(segs.slice(0, depth));
                    return;
                }
                for (let i = 0; i < v.length; i++) {
                    const e = v[i];
                    if (typeof e !== "object" && typeof e !== "string") continue; // numbers, booleans: nothing to visit
                    if (e === null) continue;
                    segs[depth] = i;
                    this.holder = v;
                    this.walk(e, depth + 1, key, secret, inJson);
                }
                return;
            }
            const o = v as WireObject;
            // The engine's special objects (secrets, resource references, assets, archives) hold the signature as an
            // own key.
            const sig = hasOwn.call(o, SIG) ? o[SIG] : undefined;
            if (sig === SECRET) {
                secret = true;
                v = o.value;
                continue;
            }
            if (sig === REF || sig === ASSET || sig === ARCHIVE) return;
            if (depth >= this.maxDepth) {
                this.onTruncated?.(segs.slice(0, depth));
                return;
            }
            // for-in, not Object.keys: no key array per object. Wire objects are plain (JSON, protobuf): an inherited
            // enumerable key is not theirs and is skipped.
            for (const k in o) {
                if (!hasOwn.call(o, k)) continue;
                const e = o[k];
                if (typeof e !== "object" && typeof e !== "string") continue;
                if (e === null) continue;
                segs[depth] = k;
                this.holder = o;
                this.walk(e, depth + 1, k, secret, inJson);
            }
            return;
        }
    }

    /** A string at segs[0..depth): visited, then entered when it holds a JSON document. */
    visitString(v: string, depth: number, key: string | undefined, secret: boolean, inJson: boolean): void {
        this.value = v;
        this.depth = depth;
        this.key = key;
        this.secret = secret;
        this.inJson = inJson;
        this.cached = undefined;
        const c = v.charCodeAt(0);
        // Only a string starting with `{`, `[` or whitespace can hold a document: most strings skip the test.
        const parsed = c === 123 || c === 91 || c === 32 || c === 9 || c === 10 || c === 13 ? this.documentIn(v, depth) : undefined;
        this.holdsJson = parsed !== undefined;
        this.visit(this);
        if (parsed !== undefined) {
            this.segs[depth] = MARK;
            this.walk(parsed, depth + 1, key, secret, true);
        }
    }

    /** The JSON document a string holds, parsed; undefined when it holds none (or one too deep to enter). */
    documentIn(v: string, depth: number): unknown {
        if (!this.parseJson || v.length > this.maxJsonLength || !looksLikeJsonContainer(v)) return undefined;
        if (v.length > 1024 && !jsonNestingWithin(v, this.maxDepth - depth)) {
            // Parsing a hostile 1 MB `[[[[...` costs 100 ms and the walk would stop at maxDepth anyway: the string is
            // scanned as text instead, and the cut is reported.
            this.onTruncated?.(this.segs.slice(0, depth));
            return undefined;
        }
        try {
            return JSON.parse(v);
        } catch {
            return undefined;
        }
    }
}

/** Idle walkers. A visitor may start a walk of its own: it gets another walker. */
const idleWalkers: Walker[] = [];

/**
 * Visits every known string leaf in document order. Unknown sentinels are stepped over leaf by leaf; secret
 * wrappers are looked through and recorded; resource references, assets and archives are not secrets the program
 * wrote and are skipped. The walk recurses once per container and stops at `maxDepth` (at most 1,024), so hostile
 * nesting cannot overflow the stack.
 */
export function walkStrings(root: Wire | undefined, visit: (leaf: StringLeaf) => void, opts: WalkOptions = {}): void {
    const w = idleWalkers.pop() ?? new Walker();
    w.visit = visit;
    w.parseJson = opts.parseJson !== false;
    w.maxDepth = Math.min(opts.maxDepth ?? DEFAULT_MAX_DEPTH, MAX_WALK_DEPTH);
    w.maxJsonLength = opts.maxJsonLength ?? DEFAULT_MAX_JSON_LENGTH;
    w.onTruncated = opts.onTruncated;
    try {
        w.walk(root, 0, undefined, false, false);
    } finally {
        // Nothing of this walk's values stays reachable from the pool: not the visitor, the last string or its holder. (The
        // segment stack keeps its last keys and indexes until the next walk overwrites them.)
        w.visit = NOOP_VISIT;
        w.onTruncated = undefined;
        w.value = "";
        w.key = undefined;
        w.cached = undefined;
        w.holder = undefined;
        if (idleWalkers.length < 8) idleWalkers.push(w);
    }
}

/** Drops secret wrappers and leaves unknown sentinels in place: the shape the @pulumi/policy SDK shows policies. */
export function stripSecrets(v: Wire | undefined): Wire | undefined {
    const u = unwrapSecret(v).value;
    if (Array.isArray(u)) return u.map((e) => stripSecrets(e) as Wire);
    if (isPlainObject(u)) {
        const out: WireObject = {};
        for (const k of Object.keys(u)) out[k] = stripSecrets(u[k]) as Wire;
        return out;
    }
    return u;
}
