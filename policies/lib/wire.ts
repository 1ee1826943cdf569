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

export function isUnknown(v: unknown): boolean {
    return typeof v === "string" && v.length === 36 && UNKNOWNS.has(v);
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

/** Whether a JSON text nests no deeper than `limit` containers: one linear pass, strings and escapes skipped. */
export function jsonNestingWithin(s: string, limit: number): boolean {
    let depth = 0;
    let inString = false;
    for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (inString) {
            if (c === 92 /* \\ */) i++;
            else if (c === 34 /* " */) inString = false;
        } else if (c === 34) {
            inString = true;
        } else if (c === 91 /* [ */ || c === 123 /* { */) {
            if (++depth > limit) return false;
        } else if (c === 93 /* ] */ || c === 125 /* } */) {
            depth--;
        }
    }
    return true;
}

/**
 * A step of the walk, and the leaf handed to the visitor when it holds a string (one object per node). Paths are
 * a parent chain, turned into arrays only when someone asks.
 */
class Node implements StringLeaf {
    value = "";
    holdsJson = false;
    cached: PathSeg[] | undefined = undefined;
    constructor(
        public v: unknown,
        public parent: Node | undefined,
        public seg: PathSeg | undefined,
        public key: string | undefined,
        public secret: boolean,
        public inJson: boolean,
        public depth: number,
    ) {}
    get path(): PathSeg[] {
        return (this.cached ??= pathOf(this));
    }
}

/** Plain strings that are not JSON documents or unknowns: visited in place, with one reused leaf. */
function isPlainString(e: unknown): e is string {
    if (typeof e !== "string") return false;
    if (e.length === 36 && isUnknown(e)) return false;
    const c = e.charCodeAt(0);
    // JSON documents start with `{`/`[` (possibly after whitespace); leave anything that might be one to the walk.
    return !(c === 123 || c === 91 || c === 32 || c === 9 || c === 10 || c === 13);
}

function pathOf(f: Node): PathSeg[] {
    const out: PathSeg[] = new Array(f.depth);
    let i = f.depth;
    for (let cur: Node | undefined = f; cur && cur.seg !== undefined; cur = cur.parent) out[--i] = cur.seg;
    return out;
}

/**
 * Visits every known string leaf, iteratively (no recursion, so hostile nesting cannot overflow the stack).
 * Unknown sentinels are stepped over leaf by leaf; secret wrappers are looked through and recorded; resource
 * references, assets and archives are not secrets the program wrote and are skipped.
 */
export function walkStrings(root: Wire | undefined, visit: (leaf: StringLeaf) => void, opts: WalkOptions = {}): void {
    const parseJson = opts.parseJson !== false;
    const maxDepth = opts.maxDepth ?? 256;
    const maxJsonLength = opts.maxJsonLength ?? 4 * 1024 * 1024;
    const stack: Node[] = [new Node(root, undefined, undefined, undefined, false, false, 0)];
    /** The leaf handed to the visitor for plain strings visited in place (made on first use). */
    let leaf: Node | undefined;
    while (stack.length > 0) {
        const f = stack.pop()!;
        let v = f.v;
        let secret = f.secret;
        // Secret wrappers are looked through; `sig` keeps the last object's signature (one read per object).
        let sig: Wire | undefined;
        while (typeof v === "object" && v !== null && !Array.isArray(v) && (sig = (v as WireObject)[SIG_KEY]) === SECRET_SIG) {
            secret = true;
            v = (v as WireObject).value;
        }
        if (v === null || v === undefined || typeof v === "boolean" || typeof v === "number") {
            continue;
        }
        if (typeof v === "string") {
            if (isUnknown(v)) continue;
            let parsed: unknown = undefined;
            if (parseJson && v.length <= maxJsonLength && looksLikeJsonContainer(v)) {
                if (v.length > 1024 && !jsonNestingWithin(v, maxDepth - f.depth)) {
                    // Parsing a hostile 1 MB `[[[[...` costs 100 ms and the walk would stop at maxDepth anyway: the
                    // string is scanned as text instead, and the cut is reported.
                    opts.onTruncated?.(pathOf(f));
                } else {
                    try {
                        parsed = JSON.parse(v);
                    } catch {
                        parsed = undefined;
                    }
                }
            }
            f.value = v;
            f.secret = secret;
            f.holdsJson = parsed !== undefined;
            visit(f);
            if (parsed !== undefined) {
                stack.push(new Node(parsed, f, JSON_MARK, f.key, secret, true, f.depth + 1));
            }
            continue;
        }
        if (typeof v !== "object") continue;
        if (f.depth >= maxDepth) {
            opts.onTruncated?.(pathOf(f));
            continue;
        }
        if (Array.isArray(v)) {
            // Wide arrays of plain strings (a hostile 1 MB `["a","a",...]`, long lists of ids) are visited in place,
            // in order, through one reused leaf: no node per element. The leaf is valid only during the visit.
            if (v.length > 64 && v.every((e) => e === null || typeof e === "number" || typeof e === "boolean" || isPlainString(e))) {
                const leaf = new Node(undefined, f, 0, f.key, secret, f.inJson, f.depth + 1);
                for (let i = 0; i < v.length; i++) {
                    const e = v[i];
                    if (typeof e !== "string") continue;
                    leaf.seg = i;
                    leaf.value = e;
                    leaf.cached = undefined;
                    visit(leaf);
                }
                continue;
            }
            // Plain strings before the first other item are visited in place, in order, through the reused leaf;
            // the rest wait on the stack, so the order stays the document's.
            let first = 0;
            for (; first < v.length; first++) {
                const e = v[first];
                if (e === null || typeof e === "number" || typeof e === "boolean") continue;
                if (!isPlainString(e)) break;
                visit(place((leaf ??= new Node(undefined, undefined, undefined, undefined, false, false, 0)), f, first, f.key, secret, e));
            }
            for (let i = v.length - 1; i >= first; i--) {
                const e = v[i];
                // Scalars that cannot hold a string need no node.
                if (e === null || typeof e === "number" || typeof e === "boolean") continue;
                stack.push(new Node(e, f, i, f.key, secret, f.inJson, f.depth + 1));
            }
            continue;
        }
        const o = v as WireObject;
        if (sig === RESOURCE_REF_SIG || sig === ASSET_SIG || sig === ARCHIVE_SIG) {
            continue;
        }
        const keys = Object.keys(o);
        // As for arrays: plain strings before the first other value in place, the rest on the stack.
        let first = 0;
        for (; first < keys.length; first++) {
            const e = o[keys[first]];
            if (e === null || typeof e === "number" || typeof e === "boolean") continue;
            if (!isPlainString(e)) break;
            visit(place((leaf ??= new Node(undefined, undefined, undefined, undefined, false, false, 0)), f, keys[first], keys[first], secret, e));
        }
        for (let i = keys.length - 1; i >= first; i--) {
            const k = keys[i];
            const e = o[k];
            if (e === null || typeof e === "number" || typeof e === "boolean") continue;
            stack.push(new Node(e, f, k, k, secret, f.inJson, f.depth + 1));
        }
    }
}

/** Points the reused leaf at a plain string child of `parent`: valid until the next child. */
function place(leaf: Node, parent: Node, seg: PathSeg, key: string | undefined, secret: boolean, value: string): Node {
    leaf.parent = parent;
    leaf.seg = seg;
    leaf.key = key;
    leaf.secret = secret;
    leaf.inJson = parent.inJson;
    leaf.depth = parent.depth + 1;
    leaf.value = value;
    leaf.cached = undefined;
    return leaf;
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
