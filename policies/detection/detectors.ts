// The credential-format detectors ("kind (a)"), as a table: one row per detector, declared once, the way gitleaks
// declares rules. Pure: no @pulumi imports, no dependencies. The engine that runs the rows is formats.ts.
//
// A row is data:
// - `id` (stable: users name it in `disabledDetectors`), `label`, `description`;
// - `keywords`: case-insensitive literals, at least one of which a string must hold for the row to run (the
//   prefilter is built from them, in formats.ts);
// - either `regex` (global; its `secretGroup` is the reported span, 0 = the whole match) with `check` (body checks on
//   the `check.group` capture, or the secret: character classes, minimum Shannon entropy), or `custom`, for the
//   context detectors a regex row cannot express (a secret near its key id, PEM blocks, JWT headers, passwords in
//   URLs and connection strings, service-account JSON, assignments);
// - optional `keyNames`: a property key that names the secret enables the row without a keyword (a bare AWS secret
//   key at `secretAccessKey`);
// - `examples`: strings the row must find (`true`) and must not find (`false`). test/policies/detection/detectors.test.ts
//   runs them all. Examples are built here from obviously fake pieces (a readable unit repeated), never real keys.
//
// ReDoS rules for every regex (policies/detection/README.md): explicit `{m,n}` bounds, no nested quantifiers, no
// overlapping alternation under a quantifier, and a literal or a one-character lookbehind at the start, so a scan is
// linear in the input. Every row reports at most MAX_HITS_PER_DETECTOR spans per string.
import { isPlaceholder } from "./placeholders";

// references.ts runs the detectors itself (through formats.ts), so it is loaded on first use: a static import would
// close a load-time cycle (detectors -> references -> formats -> detectors).
let references: typeof import("./references") | undefined;
function isReference(s: string): boolean {
    references ??= require("./references") as typeof import("./references");
    return references.isReference(s);
}

/** One example: a string, or a string with the property key it sits at (for key-enabled rows). */
export type Example = string | { s: string; key: string };

export interface BodyCheck {
    /** The capture group(s) holding the body to check (the first defined one counts); omitted: the secret itself. */
    group?: number | number[];
    /** At least this many of: lower case, upper case, digits. */
    minClasses?: number;
    /** Classes that must all be present. */
    require?: ReadonlyArray<"lower" | "upper" | "digit">;
    /** Minimum Shannon entropy of the body, in bits per character. */
    minEntropy?: number;
}

export interface DetectorRow {
    id: string;
    label: string;
    description: string;
    /** Case-insensitive literals (ASCII, at least 2 characters). A string holding none of them is never checked. */
    keywords: readonly string[];
    /** A global regex (regex rows). */
    regex?: RegExp;
    /** The capture group that is the secret (the reported span); 0 or omitted: the whole match. */
    secretGroup?: number;
    check?: BodyCheck;
    /** The context detectors: reports spans through `c.push`. */
    custom?: (c: Ctx) => void;
    /**
     * A property key (split into lower-case words) that names this secret enables the row without a keyword, for
     * strings of at least `minLength` characters (the shortest bare secret the row recognises at such a key).
     */
    keyNames?: { names: (keyTokens: readonly string[]) => boolean; minLength: number };
    /**
     * A generic row (the assignment form) yields to the specific ones: its spans that overlap another row's span
     * in the same string are dropped, so `OPENAI_API_KEY=sk-...` is reported once, as an OpenAI key.
     */
    generic?: boolean;
    examples: { true: readonly Example[]; false: readonly Example[] };
}

// ---------------------------------------------------------------------------------------------------------------
// Primitives shared by the rows and the engine

/**
 * A detector reports at most this many spans per string, and stops scanning once it has them: a string is
 * flagged by its first hit already, and a 1 MB run of genuine matches ("Password=a;" x 100k) must stay fast.
 */
export const MAX_HITS_PER_DETECTOR = 1000;

/** What a row's code sees: the string, the key's words (when known), and where to report spans. */
export interface Ctx {
    s: string;
    keyTokens: readonly string[] | undefined;
    /** Spans left for the row that is running. */
    budget: number;
    push(start: number, end: number): void;
}

/** Iterates the matches of a global regex until the row's hit budget is spent. */
export function each(re: RegExp, c: { s: string; budget: number }, cb: (m: RegExpExecArray) => void, s = c.s): void {
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while (c.budget > 0 && (m = re.exec(s)) !== null) {
        if (m[0].length === 0) re.lastIndex++;
        cb(m);
    }
}

function has(s: string, ...anchors: string[]): boolean {
    for (const a of anchors) if (s.indexOf(a) !== -1) return true;
    return false;
}

export const enum Cls {
    Lower = 1,
    Upper = 2,
    Digit = 4,
    Other = 8,
}

/** The classes present in `body` (Other: any character that is not a letter, a digit or one of `_-./:`). */
export function classes(body: string): number {
    let c = 0;
    for (let i = 0; i < body.length && c !== 15; i++) {
        const ch = body.charCodeAt(i);
        if (ch >= 97 && ch <= 122) c |= Cls.Lower;
        else if (ch >= 65 && ch <= 90) c |= Cls.Upper;
        else if (ch >= 48 && ch <= 57) c |= Cls.Digit;
        else if (ch !== 95 && ch !== 45 && ch !== 46 && ch !== 47 && ch !== 58) c |= Cls.Other;
    }
    return c;
}

function popcount(c: number): number {
    return (c & 1) + ((c >> 1) & 1) + ((c >> 2) & 1) + ((c >> 3) & 1);
}

/** At least two of lower/upper/digit: random-looking rather than a word. */
function mixed(body: string): boolean {
    return popcount(classes(body) & 7) >= 2;
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
    if (s.length === 0) return 0;
    const counts = new Map<number, number>();
    for (let i = 0; i < s.length; i++) {
        const ch = s.charCodeAt(i);
        counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
    let h = 0;
    for (const n of counts.values()) {
        const p = n / s.length;
        h -= p * Math.log2(p);
    }
    return h;
}

/** Does `body` pass a row's check? */
export function bodyOk(check: BodyCheck, body: string): boolean {
    const present = classes(body) & 7;
    if (check.minClasses !== undefined && popcount(present) < check.minClasses) return false;
    if (check.require) {
        for (const r of check.require) {
            const bit = r === "lower" ? Cls.Lower : r === "upper" ? Cls.Upper : Cls.Digit;
            if ((present & bit) === 0) return false;
        }
    }
    if (check.minEntropy !== undefined && shannonEntropy(body) < check.minEntropy) return false;
    return true;
}

// ---------------------------------------------------------------------------------------------------------------
// Fake example material: readable units repeated to length. Obviously not real credentials, but in the right shape.

function fill(unit: string, n: number): string {
    return unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
}
/** Upper, lower and digits: passes every class check. */
const ALNUM = (n: number) => fill("Fake0Example1Body2", n);
const HEX = (n: number) => fill("0123456789abcdef", n);
const B32 = (n: number) => fill("FAKEEXAMPLE234567", n);
const B64 = (n: number) => fill("Fake0Example1Body2+/", n);
const PEM_BODY = (lines: number) => Array.from({ length: lines }, () => B64(64)).join("\n");
const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");

// ---------------------------------------------------------------------------------------------------------------
// AWS

const AWS_ID_RE = /(?<![A-Za-z0-9])(?:(?:AKIA|ABIA|ACCA)[A-Z2-7]{16}|ASIA(?=[A-Z]{0,15}[2-7])[A-Z2-7]{16})(?![A-Za-z0-9])/g;
/** A second instance for the AWS secret row, which looks for ids on its own (rows never share a regex's lastIndex). */
const AWS_ID_RE2 = new RegExp(AWS_ID_RE.source, "g");
/** Any access key id prefix: whether AWS_ID_RE can match at all. */
const AWS_ID_PREFIX_RE = /A(?:KIA|SIA|BIA|CCA)/;

const AWS_SECRET_CONTEXT_RE =
    /(?:secret[_-]?access[_-]?key|aws[_-]?secret[_-]?key|aws[_-]?secret)["']?\s{0,4}[:=]\s{0,4}["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi;
const AWS_SECRET_NEAR_ID_RE = /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;
const AWS_SECRET_WHOLE_RE = /^[A-Za-z0-9/+]{40}$/;
/** How far after an access key id a secret key is looked for (credentials CSV, `id:secret`, env files). */
const AWS_SECRET_WINDOW = 160;

function awsSecretBody(b: string): boolean {
    // Not hex (SHA-1), not a word: real keys mix upper and lower case.
    return (classes(b) & 3) === 3;
}

function isAwsSecretKeyName(t: readonly string[]): boolean {
    const j = t.join("");
    return j.includes("secretaccesskey") || j.includes("awssecretkey") || j.endsWith("awssecret");
}

/** A whole (trimmed) string that passes `test`, at a key that names it. */
function wholeAtKey(c: Ctx, re: RegExp, ok: (t: string) => boolean): boolean {
    const t = c.s.trim();
    if (!re.test(t) || !ok(t)) return false;
    const start = c.s.indexOf(t);
    c.push(start, start + t.length);
    return true;
}

function awsSecretAccessKey(c: Ctx): void {
    const s = c.s;
    if (c.keyTokens && isAwsSecretKeyName(c.keyTokens) && wholeAtKey(c, AWS_SECRET_WHOLE_RE, awsSecretBody)) return;
    if (has(s, "ecret", "ECRET")) {
        each(AWS_SECRET_CONTEXT_RE, c, (m) => {
            const body = m[1];
            if (!awsSecretBody(body)) return;
            const end = m.index + m[0].length;
            c.push(end - body.length, end);
        });
    }
    // One regex pass, not an indexOf per prefix: four searches for A-words cost 30 ms on 1 MB of `A`s.
    if (!AWS_ID_PREFIX_RE.test(s)) return;
    let scannedTo = 0;
    each(AWS_ID_RE2, c, (m) => {
        const from = Math.max(m.index + m[0].length, scannedTo);
        const to = Math.min(s.length, m.index + m[0].length + AWS_SECRET_WINDOW);
        if (from >= to) return;
        scannedTo = to;
        const win = s.slice(from, to);
        each(AWS_SECRET_NEAR_ID_RE, c, (w) => {
            if (awsSecretBody(w[0])) c.push(from + w.index, from + w.index + 40);
        }, win);
    });
}

// ---------------------------------------------------------------------------------------------------------------
// Google

const SA_TYPE_RE = /"type\\{0,2}"\s{0,8}:\s{0,8}\\{0,2}"service_account\\{0,2}"/;
const SA_KEY_RE = /"private_key\\{0,2}"\s{0,8}:\s{0,8}\\{0,2}"(-----BEGIN [A-Z ]{0,40}PRIVATE KEY-----)/g;
/** How far a PEM's END line is looked for after its BEGIN line. */
const PEM_MAX_LENGTH = 16384;

function gcpServiceAccountKey(c: Ctx): void {
    const s = c.s;
    if (!has(s, "private_key") || !SA_TYPE_RE.test(s)) return;
    let endMarker = -2; // cached index of the next "-----END" (linear over repeated keys)
    each(SA_KEY_RE, c, (m) => {
        const start = m.index + m[0].length - m[1].length;
        if (endMarker !== -1 && endMarker < start) endMarker = s.indexOf("-----END", start + m[1].length);
        if (endMarker === -1 || endMarker - start > PEM_MAX_LENGTH) return;
        const close = s.indexOf("-----", endMarker + 8);
        const end = close === -1 || close - endMarker > 64 ? endMarker + 8 : close + 5;
        c.push(start, end);
    });
}

// ---------------------------------------------------------------------------------------------------------------
// Azure

const AZ_ACCOUNT_KEY_RE = /AccountKey\s{0,4}=\s{0,4}([A-Za-z0-9+/]{84,88}={0,2})(?![A-Za-z0-9+/=])/gi;
const AZ_KEY_WHOLE_RE = /^[A-Za-z0-9+/]{84,88}={0,2}$/;

function azKeyBody(b: string): boolean {
    return b.length >= 86 && b.length <= 88 && (classes(b) & 7) === 7;
}

function isAzureAccountKeyName(t: readonly string[]): boolean {
    const j = t.join("");
    return j.endsWith("accountkey") || j.endsWith("storagekey") || j.endsWith("storageaccountkey");
}

function azureStorageKey(c: Ctx): void {
    if (c.keyTokens && isAzureAccountKeyName(c.keyTokens) && wholeAtKey(c, AZ_KEY_WHOLE_RE, azKeyBody)) return;
    each(AZ_ACCOUNT_KEY_RE, c, (m) => {
        if (!azKeyBody(m[1])) return;
        const end = m.index + m[0].length;
        c.push(end - m[1].length, end);
    });
}

const AZ_SAS_CS_RE = /SharedAccessSignature\s{0,4}[=\s]\s{0,4}(?:SharedAccessSignature\s{1,4})?([^;"'\s]{20,2048})/gi;
const AZ_SAS_SIG_RE = /[?&;]sig=([A-Za-z0-9%+/=_-]{20,256})/g;

function azureSasToken(c: Ctx): void {
    const s = c.s;
    if (has(s, "haredAccessSignature", "haredaccesssignature", "HAREDACCESSSIGNATURE")) {
        each(AZ_SAS_CS_RE, c, (m) => {
            if (m[1].indexOf("sig=") === -1) return;
            const end = m.index + m[0].length;
            c.push(end - m[1].length, end);
        });
    }
    if (!has(s, "sv=", "sr=")) return;
    each(AZ_SAS_SIG_RE, c, (m) => {
        if (!mixed(m[1])) return;
        const end = m.index + m[0].length;
        c.push(end - m[1].length, end);
    });
}

// ---------------------------------------------------------------------------------------------------------------
// Vault

const VAULT_RE = /(?<![A-Za-z0-9_.-])hv[sbr]\.[A-Za-z0-9_-]{24,1024}(?![A-Za-z0-9_-])/g;
const VAULT_LEGACY_WHOLE_RE = /^s\.[A-Za-z0-9]{24}$/;
const VAULT_LEGACY_CTX_RE = /(?:token|x-vault-token)["']?\s{0,4}[:=]\s{0,4}["']?(s\.[A-Za-z0-9]{24})(?![A-Za-z0-9])/gi;
/** The length of a legacy `s.` token: the engine also enables this row for a 26-character string, with no keyword. */
export const VAULT_LEGACY_LENGTH = 26;

function vaultToken(c: Ctx): void {
    const s = c.s;
    if (has(s, "hvs.", "hvb.", "hvr.")) {
        each(VAULT_RE, c, (m) => {
            if (mixed(m[0].slice(4))) c.push(m.index, m.index + m[0].length);
        });
    }
    if (!has(s, "s.")) return;
    const t = s.trim();
    if (t.length === VAULT_LEGACY_LENGTH && VAULT_LEGACY_WHOLE_RE.test(t) && mixed(t.slice(2))) {
        const start = s.indexOf(t);
        c.push(start, start + VAULT_LEGACY_LENGTH);
        return;
    }
    if (has(s, "oken", "OKEN")) {
        each(VAULT_LEGACY_CTX_RE, c, (m) => {
            if (!mixed(m[1].slice(2))) return;
            const end = m.index + m[0].length;
            c.push(end - VAULT_LEGACY_LENGTH, end);
        });
    }
}

// ---------------------------------------------------------------------------------------------------------------
// PEM private keys

const PEM_RE = /-----BEGIN (?:[A-Z0-9]{1,20} ){0,4}PRIVATE KEY(?: BLOCK)?-----/g;
/** Key material must start within this many characters after the BEGIN line (room for Proc-Type/DEK-Info). */
const PEM_BODY_WINDOW = 256;
const PEM_BODY_RUN = 40;

/**
 * Is there a run of 40 base64 characters within PEM_BODY_WINDOW characters after `from`, before the next "--"
 * (the next BEGIN/END line)? Windows of successive headers never overlap, so a scan stays linear. No allocation.
 */
function pemBodyFollows(s: string, from: number): boolean {
    const to = Math.min(s.length, from + PEM_BODY_WINDOW);
    let run = 0;
    for (let i = from; i < to; i++) {
        const c = s.charCodeAt(i);
        if (c === 45 && s.charCodeAt(i + 1) === 45) return false;
        const b64 = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 47 && c <= 57) || c === 43;
        if (!b64) run = 0;
        else if (++run >= PEM_BODY_RUN) return true;
    }
    return false;
}

function privateKey(c: Ctx): void {
    const s = c.s;
    let nextEnd = -2; // cached index of the next "-----END" (linear over repeated headers)
    let lastEnd = 0;
    each(PEM_RE, c, (m) => {
        const start = m.index;
        const headerEnd = start + m[0].length;
        if (start < lastEnd) return;
        if (!pemBodyFollows(s, headerEnd)) return;
        if (nextEnd !== -1 && nextEnd < headerEnd) nextEnd = s.indexOf("-----END", headerEnd);
        let end = headerEnd;
        if (nextEnd !== -1 && nextEnd - start <= PEM_MAX_LENGTH) {
            const close = s.indexOf("-----", nextEnd + 8);
            end = close !== -1 && close - nextEnd <= 64 ? close + 5 : nextEnd + 8;
        }
        lastEnd = end;
        c.push(start, end);
    });
}

// ---------------------------------------------------------------------------------------------------------------
// JWT

const JWT_RE = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,4096}\.[A-Za-z0-9_-]{2,16384}\.[A-Za-z0-9_-]{0,4096}/g;

const B64URL_VALUES = (() => {
    const t = new Int8Array(128).fill(-1);
    const a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (let i = 0; i < a.length; i++) t[a.charCodeAt(i)] = i;
    return t;
})();

/** The last decoded byte of a base64url segment (the header's closing "}"), without decoding all of it. */
function lastDecodedByte(seg: string): number {
    const n = seg.length;
    const v = (i: number) => B64URL_VALUES[seg.charCodeAt(i) & 127];
    switch (n % 4) {
        case 0: return ((v(n - 2) & 3) << 6) | v(n - 1);
        case 2: return ((v(n - 2) & 63) << 2) | (v(n - 1) >> 4);
        case 3: return ((v(n - 2) & 15) << 4) | (v(n - 1) >> 2);
        default: return -1;
    }
}

function jwtHeaderOk(seg: string): boolean {
    // Cheap gate first: a JSON object header ends with "}" (0x7d). Decoding every lookalike would allocate.
    if (seg.length > 4096 || lastDecodedByte(seg) !== 0x7d) return false;
    // `"alg"` encodes to one of these three runs, depending on its offset modulo 3: no run, no "alg", no decode.
    if (seg.indexOf("ImFsZy") === -1 && seg.indexOf("JhbGci") === -1 && seg.indexOf("iYWxnIj") === -1) return false;
    try {
        // A JSON header is an object with "alg": decode, and parse only what looks like one (exceptions are slow).
        const json = Buffer.from(seg, "base64url").toString("utf8").trim();
        if (!json.startsWith("{") || !json.endsWith("}") || json.indexOf('"alg"') === -1) return false;
        const h = JSON.parse(json) as unknown;
        return typeof h === "object" && h !== null && typeof (h as { alg?: unknown }).alg === "string";
    } catch {
        return false;
    }
}

function jwt(c: Ctx): void {
    each(JWT_RE, c, (m) => {
        const dot = m[0].indexOf(".");
        if (jwtHeaderOk(m[0].slice(0, dot))) c.push(m.index, m.index + m[0].length);
    });
}

// ---------------------------------------------------------------------------------------------------------------
// Passwords in URLs and connection strings

/** After "://": user (may be empty), ":", password, "@", a host character. Sticky: applied at each "://". */
const URL_CRED_RE = /([^\s:/?#@'"<>]{0,256}):([^\s/?#@'"<>]{1,256})@[A-Za-z0-9[_]/y;

/** References and masks that are not a literal password (or a literal assigned value). */
function isValueReference(p: string): boolean {
    if (/^\*+$/.test(p) || /^x{3,}$/i.test(p)) return true;
    if (p.startsWith("${") || p.startsWith("{{") || p.startsWith("$(") || p.startsWith("#{") || p.startsWith("@Microsoft.KeyVault(")) return true;
    if (/^\$[A-Za-z_][A-Za-z0-9_]*$/.test(p) || /^%[A-Za-z_][A-Za-z0-9_]*%$/.test(p) || /^%\(?[A-Za-z_]*\)?s$/.test(p)) return true;
    if ((p.startsWith("<") && p.endsWith(">")) || (p.startsWith("{") && p.endsWith("}")) || (p.startsWith("[") && p.endsWith("]"))) return true;
    return false;
}

function urlPassword(c: Ctx): void {
    const s = c.s;
    let i = s.indexOf("://");
    while (i !== -1 && c.budget > 0) {
        // A password in a URL stands before an `@`: none after this scheme, none after any later one.
        if (s.indexOf("@", i + 3) === -1) return;
        // A scheme (a letter before "://") is required.
        const prev = i > 0 ? s.charCodeAt(i - 1) : 0;
        const isLetter = (prev >= 97 && prev <= 122) || (prev >= 65 && prev <= 90) || (prev >= 48 && prev <= 57);
        if (isLetter) {
            URL_CRED_RE.lastIndex = i + 3;
            const m = URL_CRED_RE.exec(s);
            if (m) {
                const pw = m[2];
                if (!isValueReference(pw)) {
                    const start = i + 3 + m[1].length + 1;
                    c.push(start, start + pw.length);
                }
            }
        }
        i = s.indexOf("://", i + 3);
    }
}

const CS_PASSWORD_RE = /(?<![A-Za-z0-9_.-])(?:password|pwd)\s{0,4}=\s{0,4}("[^"]{1,256}"|'[^']{1,256}'|\{[^}]{1,256}\}|[^;&"'\s]{1,256})/gi;
const CS_CONTEXT_RE =
    /(?:^|[;?&\s"'])(?:server|host|hostname|data source|datasource|user id|userid|uid|user|username|database|initial catalog|dbname|port|address|addr|endpoint|accountname|provider|driver|dsn)\s{0,4}=/i;

function connectionStringPassword(c: Ctx): void {
    const s = c.s;
    if (!has(s, "=")) return;
    let context: boolean | undefined;
    each(CS_PASSWORD_RE, c, (m) => {
        let v = m[1];
        let vStart = m.index + m[0].length - v.length;
        if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) {
            v = v.slice(1, -1);
            vStart++;
        }
        if (v.trim().length === 0 || isValueReference(v)) return;
        if (context === undefined) context = CS_CONTEXT_RE.test(s) || /^\s*(?:jdbc|odbc):/i.test(s);
        if (!context) return;
        c.push(vStart, vStart + v.length);
    });
}

// ---------------------------------------------------------------------------------------------------------------
// The assignment form: NAME=value, export NAME=value, NAME: value, "NAME": "value", ENV NAME value

/**
 * The end of an upper-case variable name: _KEY, _TOKEN, _SECRET or _PASSWORD (so _API_KEY too), not followed by a
 * word character, followed by a separator (`=`, `:`, also after a closing quote) or a space (Dockerfile `ENV`). The
 * regex starts on a literal; the name is then read backwards (see assignmentName).
 */
const ASSIGN_SUFFIX_RE = /_(?:KEY|TOKEN|SECRET|PASSWORD)(?![A-Za-z0-9_])(?=\\?["']?[ \t]{0,4}[:=]|[ \t])/g;
/** Longest name read backwards from a suffix: bounded, so a scan is linear. */
const ASSIGN_NAME_MAX = 64;

/**
 * The start of the name that ends with the suffix at `at`, or -1: a run of [A-Z0-9_] starting with a letter, at
 * most ASSIGN_NAME_MAX long, not glued to a lower-case word, `$` or `{` (`$OPENAI_API_KEY` and
 * `${DB_PASSWORD:-x}` are uses, not assignments).
 */
function assignmentName(s: string, at: number): number {
    let i = at;
    while (i > 0 && at - i < ASSIGN_NAME_MAX) {
        const ch = s.charCodeAt(i - 1);
        if ((ch >= 65 && ch <= 90) || (ch >= 48 && ch <= 57) || ch === 95) i--;
        else break;
    }
    if (i === at) return -1;
    const first = s.charCodeAt(i);
    if (first < 65 || first > 90) return -1;
    if (i > 0) {
        const prev = s.charCodeAt(i - 1);
        if ((prev >= 97 && prev <= 122) || (prev >= 65 && prev <= 90) || (prev >= 48 && prev <= 57) || prev === 95 || prev === 36 || prev === 123) return -1;
    }
    return i;
}

/** After the name: an optional closing quote (JSON/YAML keys, also escaped), then `=` or `:` (sticky). */
const ASSIGN_SEP_RE = /(?:\\?["'])?[ \t]{0,4}(?:=|:(?![:=-]))[ \t]{0,4}/y;
/**
 * Dockerfile `ENV NAME value`: is `ENV` and 1-4 spaces right before the name, at a line start (after a newline, an
 * escaped `\n`, `;`, `&`, or up to 8 spaces of indentation)? Reads backwards, no allocation.
 */
function dockerEnvBefore(s: string, nameStart: number): boolean {
    let i = nameStart;
    while (i > 0 && nameStart - i < 4 && (s.charCodeAt(i - 1) === 32 || s.charCodeAt(i - 1) === 9)) i--;
    if (i === nameStart || i < 3 || s.charCodeAt(i - 1) !== 86 || s.charCodeAt(i - 2) !== 78 || s.charCodeAt(i - 3) !== 69) return false;
    i -= 3;
    const indent = i;
    while (i > 0 && indent - i < 8 && (s.charCodeAt(i - 1) === 32 || s.charCodeAt(i - 1) === 9)) i--;
    if (i === 0) return true;
    const prev = s.charCodeAt(i - 1);
    return prev === 10 || prev === 59 || prev === 38 || (prev === 110 && i >= 2 && s.charCodeAt(i - 2) === 92);
}
/** The value (sticky): double-quoted (also escaped inside JSON text), single-quoted, or a bare run. */
const ASSIGN_VALUE_RE = /\\"([^"\\\n]{0,256})\\"|"([^"\n]{0,256})"|'([^'\n]{0,256})'|([^\s"'`]{1,256})/y;
/**
 * Names that end like a secret but name something that is not one: public and publishable keys (Stripe `pk_`,
 * reCAPTCHA site keys), database and cache keys, object keys, KMS key ids, pagination tokens.
 */
const NON_SECRET_NAME_RE =
    /(?:^|_)(?:PUBLIC|PUB|PUBLISHABLE|SITE|PARTITION|SORT|CACHE|HASH|RANGE|ROW|SHARD|IDEMPOTENCY|LOOKUP|FOREIGN|OBJECT|S3|BUCKET|FILE|KMS|CMK|PAGE|NEXT|PAGINATION|CONTINUATION|CURSOR|ROUTING|SSH_PUBLIC)_(?:KEY|TOKEN)$|^PRIMARY_KEY$/;
/** Values that are not literals: paths, public-key and certificate text, KMS aliases. */
const NOT_A_LITERAL_RE = /^(?:\.{1,2}\/|~\/|alias\/|ssh-|ecdsa-|-----BEGIN (?:PUBLIC KEY|CERTIFICATE|RSA PUBLIC KEY))/;
/** A value shorter than this is not reported (`changeme`, `true`, `12345` are not what this row looks for). */
const ASSIGN_MIN_VALUE = 8;

/**
 * Is `v` a literal that looks like a secret value? At least 8 characters, at least two of lower case, upper case,
 * digits and symbols (other than the separators `_-./:` of names, paths and hosts), not a reference (`$VAR`,
 * `${VAR}`, `$(cmd)`, `%VAR%`, `{{...}}`, `<...>`), not a placeholder, not a path or a public key.
 */
function assignedValueOk(v: string): boolean {
    if (v.length < ASSIGN_MIN_VALUE || v.trim().length !== v.length) return false;
    const first = v.charCodeAt(0);
    if (first === 36 /* $ */ || first === 96 /* ` */ || isValueReference(v) || /^%[A-Za-z_][A-Za-z0-9_]*%/.test(v)) return false;
    if (NOT_A_LITERAL_RE.test(v)) return false;
    return popcount(classes(v)) >= 2;
}

/** Set while assigned values are vetted: isReference runs the detectors on a value, but never this row again. */
let vetting = false;

function secretAssignment(c: Ctx): void {
    // Without this guard a value holding assignments of URLs holding assignments... would recurse without bound.
    if (vetting) return;
    const s = c.s;
    // Spans are collected first and vetted after the scan: isReference runs the detectors on the value (nested).
    const found: number[] = [];
    each(ASSIGN_SUFFIX_RE, c, (m) => {
        const nameStart = assignmentName(s, m.index);
        if (nameStart === -1) return;
        const nameEnd = m.index + m[0].length;
        ASSIGN_SEP_RE.lastIndex = nameEnd;
        let at = -1;
        if (ASSIGN_SEP_RE.test(s)) at = ASSIGN_SEP_RE.lastIndex;
        else if ((s.charCodeAt(nameEnd) === 32 || s.charCodeAt(nameEnd) === 9) && dockerEnvBefore(s, nameStart)) {
            at = nameEnd;
            while (at < s.length && at - nameEnd < 4 && (s.charCodeAt(at) === 32 || s.charCodeAt(at) === 9)) at++;
        }
        if (at === -1) return;
        // `$VAR`, `${VAR}`, `$(cmd)` and backquoted commands are not literals: skip them before reading the value.
        const first = s.charCodeAt(at);
        if (first === 36 || first === 96) return;
        ASSIGN_VALUE_RE.lastIndex = at;
        const v = ASSIGN_VALUE_RE.exec(s);
        if (!v) return;
        const g = v[1] !== undefined ? 1 : v[2] !== undefined ? 2 : v[3] !== undefined ? 3 : 4;
        let value = v[g];
        // A bare value ends before a trailing `,` or `;` (YAML flow maps, shell lists).
        if (g === 4 && (value.endsWith(",") || value.endsWith(";"))) value = value.slice(0, -1);
        const start = at + (g === 1 ? 2 : g === 4 ? 0 : 1);
        if (!assignedValueOk(value) || NON_SECRET_NAME_RE.test(s.slice(nameStart, nameEnd))) return;
        found.push(start, start + value.length);
        c.budget--;
    });
    vetting = true;
    try {
        for (let i = 0; i < found.length; i += 2) {
            const value = s.slice(found[i], found[i + 1]);
            if (isPlaceholder(value) || isReference(value)) continue;
            c.push(found[i], found[i + 1]);
        }
    } finally {
        vetting = false;
    }
}

// ---------------------------------------------------------------------------------------------------------------
// The table

const SA_JSON = JSON.stringify({ type: "service_account", project_id: "fake-project", private_key_id: HEX(40), private_key: `-----BEGIN PRIVATE KEY-----\n${PEM_BODY(4)}\n-----END PRIVATE KEY-----\n`, client_email: "fake@fake-project.iam.gserviceaccount.com" });
const PEM = (kind: string) => `-----BEGIN ${kind}-----\n${PEM_BODY(4)}\n-----END ${kind}-----\n`;
const JWT = `${b64url({ alg: "HS256", typ: "JWT" })}.${b64url({ sub: "fake-subject" })}.${ALNUM(43)}`;
const AZ_KEY = B64(86) + "==";

export const DETECTORS: readonly DetectorRow[] = [
    {
        id: "aws-access-key-id", label: "AWS access key id",
        description: "AKIA/ASIA/ABIA/ACCA followed by 16 base32 characters (an ASIA id needs a digit).",
        keywords: ["AKIA", "ASIA", "ABIA", "ACCA"],
        regex: AWS_ID_RE,
        examples: {
            true: ["AKIA" + B32(16), `export AWS_ACCESS_KEY_ID=ASIA${B32(16)}`, JSON.stringify({ accessKeyId: "ABIA" + B32(16) })],
            false: ["ASIAPACIFICSOUTHEAST", "AKIA" + B32(12), "XAKIA" + B32(16), "AKIA" + B32(16).toLowerCase()],
        },
    },
    {
        id: "aws-secret-access-key", label: "AWS secret access key",
        description: "A 40-character base64 key next to aws_secret_access_key/secretAccessKey or after an access key id, or at a key naming it.",
        keywords: ["secret", "AKIA", "ASIA", "ABIA", "ACCA"],
        custom: awsSecretAccessKey,
        keyNames: { names: isAwsSecretKeyName, minLength: 40 },
        examples: {
            true: [`aws_secret_access_key = ${B64(40)}`, JSON.stringify({ secretAccessKey: B64(40) }), `ML_USER,AKIA${B32(16)},${B64(40)}`, { s: B64(40), key: "AWS_SECRET_ACCESS_KEY" }],
            false: [B64(40), `aws_secret_access_key = ${HEX(40)}`, { s: HEX(40), key: "secretAccessKey" }, { s: B64(40), key: "description" }],
        },
    },
    {
        id: "gcp-api-key", label: "Google API key", description: "AIza followed by 35 characters.",
        keywords: ["AIza"],
        regex: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/g,
        examples: { true: ["AIza" + ALNUM(35), `https://maps.example.com/api?key=AIza${ALNUM(35)}`], false: ["AIza" + ALNUM(20), "AIza" + ALNUM(40)] },
    },
    {
        id: "gcp-service-account-key", label: "Google service-account key",
        description: "A service-account JSON key (\"type\": \"service_account\") holding a private_key PEM.",
        keywords: ["service_account"],
        custom: gcpServiceAccountKey,
        examples: {
            true: [SA_JSON, JSON.stringify({ credentials: SA_JSON })],
            false: [JSON.stringify({ type: "service_account", client_email: "fake@fake-project.iam.gserviceaccount.com" }), JSON.stringify({ type: "authorized_user", private_key: PEM("PRIVATE KEY") })],
        },
    },
    {
        id: "azure-storage-key", label: "Azure storage account key",
        description: "AccountKey=<86-88 base64 characters> in a connection string, or a bare account key at a key naming it.",
        keywords: ["AccountKey"],
        custom: azureStorageKey,
        keyNames: { names: isAzureAccountKeyName, minLength: 84 },
        examples: {
            true: [`DefaultEndpointsProtocol=https;AccountName=fake;AccountKey=${AZ_KEY};EndpointSuffix=core.windows.net`, `accountkey=${AZ_KEY}`, { s: AZ_KEY, key: "storageAccountKey" }],
            false: ["AccountName=fake;AccountKey=;", AZ_KEY, `AccountKey=${fill("abc+", 86)}==`],
        },
    },
    {
        id: "azure-shared-access-key", label: "Azure shared access key",
        description: "SharedAccessKey=<base64> in a Service Bus / Event Hubs / IoT Hub connection string.",
        keywords: ["SharedAccessKey"],
        regex: /SharedAccessKey\s{0,4}=\s{0,4}([A-Za-z0-9+/]{30,88}={0,2})(?![A-Za-z0-9+/=])/gi,
        secretGroup: 1,
        check: { minClasses: 2 },
        examples: {
            true: [`Endpoint=sb://fake.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=${B64(43)}=`, `HostName=fake.azure-devices.net;DeviceId=d;SharedAccessKey=${B64(43)}=`],
            false: ["SharedAccessKeyName=RootManageSharedAccessKey", `SharedAccessKey=${fill("abcdef", 43)}=`],
        },
    },
    {
        id: "azure-sas-token", label: "Azure SAS token",
        description: "A shared access signature: SharedAccessSignature=... or a sv=...&sig=... query.",
        keywords: ["sig="],
        custom: azureSasToken,
        examples: {
            true: [`https://fake.blob.core.windows.net/c?sv=2022-11-02&ss=b&sp=rl&se=2030-01-01&sig=${encodeURIComponent(B64(43) + "=")}`, `BlobEndpoint=https://fake.blob.core.windows.net/;SharedAccessSignature=sv=2022-11-02&sp=r&sig=${encodeURIComponent(B64(43))}`],
            false: ["https://fake.blob.core.windows.net/models/model.onnx", `https://example.com/?sig=${ALNUM(43)}`],
        },
    },
    {
        id: "vault-token", label: "HashiCorp Vault token",
        description: "hvs./hvb./hvr. tokens, and legacy s. tokens when the string is the token or follows a token key or X-Vault-Token.",
        keywords: ["hvs.", "hvb.", "hvr.", "token"],
        custom: vaultToken,
        examples: {
            true: ["hvs." + ALNUM(90), "s." + ALNUM(24), `VAULT_TOKEN=s.${ALNUM(24)}`, `X-Vault-Token: s.${ALNUM(24)}`],
            false: ["hvs.example", `note s.${ALNUM(24)} here`, "s.abcdefghijklmnopqrstuvwx", "See s.3 of the contract."],
        },
    },
    {
        id: "openai-api-key", label: "OpenAI API key",
        description: "sk-, sk-proj-, sk-svcacct- or sk-admin- followed by a long random body (upper, lower and digits).",
        keywords: ["sk-"],
        regex: /(?<![A-Za-z0-9_-])sk-(?!ant-)(?:(?:proj|svcacct|admin)-)?([A-Za-z0-9_-]{32,256})/g,
        check: { group: 1, require: ["lower", "upper", "digit"] },
        examples: {
            true: ["sk-" + ALNUM(48), "sk-proj-" + ALNUM(120), `Authorization: Bearer sk-svcacct-${ALNUM(64)}`],
            false: ["sk-learn", "sk-this-is-a-very-long-kebab-case-identifier-name", "sk-ant-" + ALNUM(60)],
        },
    },
    {
        id: "anthropic-api-key", label: "Anthropic API key", description: "sk-ant-api03-... / sk-ant-admin01-... keys.",
        keywords: ["sk-ant-"],
        regex: /(?<![A-Za-z0-9_-])sk-ant-(?:api|admin|oat|sid)\d{2}-([A-Za-z0-9_-]{32,256})/g,
        check: { group: 1, minClasses: 2 },
        examples: { true: [`sk-ant-api03-${ALNUM(93)}AA`, `ANTHROPIC_API_KEY="sk-ant-admin01-${ALNUM(93)}AA"`], false: ["sk-ant-", `sk-ant-api03-${fill("abc", 40)}`] },
    },
    {
        id: "huggingface-token", label: "Hugging Face token", description: "hf_ followed by 34-40 alphanumerics (upper and lower case).",
        keywords: ["hf_"],
        regex: /(?<![A-Za-z0-9_])hf_([A-Za-z0-9]{34,40})(?![A-Za-z0-9_])/g,
        check: { group: 1, require: ["lower", "upper"] },
        examples: { true: ["hf_" + ALNUM(34), `HF_TOKEN=hf_${ALNUM(34)}`], false: ["hf_hub_download_cache_directory_for_models", "hf_" + fill("abcdefgh", 34)] },
    },
    {
        id: "github-token", label: "GitHub token", description: "ghp_/gho_/ghu_/ghs_/ghr_ + 36 characters, or github_pat_ + 82.",
        keywords: ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"],
        regex: /(?<![A-Za-z0-9_])(?:gh[pousr]_([A-Za-z0-9]{36,251})|github_pat_([A-Za-z0-9_]{82,200}))(?![A-Za-z0-9_])/g,
        check: { group: [1, 2], minClasses: 2 },
        examples: { true: ["ghp_" + ALNUM(36), "github_pat_" + ALNUM(22) + "_" + ALNUM(59), `https://x-access-token:ghs_${ALNUM(36)}@github.com/o/r.git`], false: ["ghp_" + ALNUM(20), "ghp_" + fill("abcdef", 36)] },
    },
    {
        id: "gitlab-token", label: "GitLab token", description: "glpat- (and gldt-, glrt-, glptt-, glcbt-) followed by 20+ characters.",
        keywords: ["glpat-", "gldt-", "glrt-", "glptt-", "glcbt-"],
        regex: /(?<![A-Za-z0-9_-])gl(?:pat|dt|rt|ptt|cbt)-([A-Za-z0-9_.-]{20,128})/g,
        check: { group: 1, minClasses: 2 },
        examples: { true: ["glpat-" + ALNUM(20), `CI_TOKEN=glrt-${ALNUM(20)}`], false: ["glpat-xxxxxxxxxxxxxxxxxxxx", "glpat-" + ALNUM(10)] },
    },
    {
        id: "slack-token", label: "Slack token", description: "xoxa-/xoxb-/xoxp-/xoxo-/xoxs-/xoxr-/xoxe- and xapp- tokens.",
        keywords: ["xox", "xapp-"],
        regex: /(?<![A-Za-z0-9_-])(?:xox[abposre]-|xapp-)([A-Za-z0-9-]{20,250})/g,
        check: { group: 1, minClasses: 2, require: ["digit"] },
        examples: { true: [`xoxb-${HEX(12).replace(/[a-f]/g, "7")}-${fill("1234567890", 13)}-${ALNUM(24)}`, `xapp-1-A${B32(10)}-${fill("42", 13)}-${HEX(64)}`], false: ["xoxb-your-bot-token-here-please", "xoxb-" + fill("abcDEF", 30)] },
    },
    {
        id: "slack-webhook", label: "Slack webhook URL", description: "https://hooks.slack.com/services/T.../B.../...",
        keywords: ["hooks.slack.com"],
        regex: /https?:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/T[A-Za-z0-9_]{6,16}\/[A-Za-z0-9_]{6,24}\/[A-Za-z0-9_]{16,64}/g,
        examples: { true: [`https://hooks.slack.com/services/T${B32(8)}/B${B32(10)}/${ALNUM(24)}`], false: ["https://hooks.slack.com/services/your/webhook/url", "https://hooks.slack.com/"] },
    },
    {
        id: "stripe-key", label: "Stripe secret key", description: "sk_live_/sk_test_/rk_live_/rk_test_ keys and whsec_ webhook signing secrets.",
        keywords: ["sk_live_", "sk_test_", "rk_live_", "rk_test_", "whsec_"],
        regex: /(?<![A-Za-z0-9_])(?:(?:sk|rk)_(?:live|test)_([A-Za-z0-9]{24,247})|whsec_([A-Za-z0-9+/]{32,64}))(?![A-Za-z0-9_])/g,
        check: { group: [1, 2], minClasses: 2 },
        examples: { true: ["sk_live_" + ALNUM(99), "rk_test_" + ALNUM(24), "whsec_" + ALNUM(32)], false: ["sk_live_placeholder", "pk_live_" + ALNUM(99)] },
    },
    {
        id: "databricks-token", label: "Databricks token", description: "dapi followed by 32 hex characters (optionally -N).",
        keywords: ["dapi"],
        regex: /(?<![A-Za-z0-9_])dapi([a-f0-9]{32})(?:-\d{1,2})?(?![A-Za-z0-9_])/g,
        check: { group: 1, require: ["lower", "digit"] },
        examples: { true: ["dapi" + HEX(32), "dapi" + HEX(32) + "-2"], false: ["dapi" + HEX(20), "dapiversion-2024-01-01-databricks-api-client"] },
    },
    {
        id: "private-key", label: "PEM private key", description: "-----BEGIN ... PRIVATE KEY----- followed by key material (also with escaped \\n).",
        keywords: ["-----BEGIN"],
        custom: privateKey,
        examples: {
            true: [PEM("PRIVATE KEY"), PEM("OPENSSH PRIVATE KEY").replace(/\n/g, "\\n"), `key: ${PEM("EC PRIVATE KEY")}`],
            false: [PEM("PUBLIC KEY"), PEM("CERTIFICATE"), "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----"],
        },
    },
    {
        id: "jwt", label: "JSON Web Token", description: "Three base64url segments whose header decodes to JSON with an alg.",
        keywords: ["eyJ"],
        custom: jwt,
        examples: {
            true: [JWT, `Bearer ${JWT}`],
            false: [`${b64url({ foo: 1 })}.${b64url({ sub: "x" })}.${ALNUM(43)}`, "eyJhbGciOiJIUzI1NiJ9", `eyJ${ALNUM(30)}.${ALNUM(40)}.${ALNUM(43)}`],
        },
    },
    {
        id: "url-password", label: "password in URL", description: "scheme://user:password@host with a literal password.",
        keywords: ["://"],
        custom: urlPassword,
        examples: {
            true: [`postgres://fake:${ALNUM(16)}@db.internal:5432/app`, `redis://:${ALNUM(24)}@cache.internal:6379/0`, "a://:p@h"],
            false: ["postgres://db.internal:5432/app", "postgres://app:${DB_PASSWORD}@db.internal/app", "redis://default:*****@cache.internal:6379", "a://b:c"],
        },
    },
    {
        id: "connection-string-password", label: "password in connection string",
        description: "Password=/Pwd= with a literal value in an ADO/JDBC/ODBC-style connection string.",
        keywords: ["password", "pwd"],
        custom: connectionStringPassword,
        examples: {
            true: [`Server=tcp:fake.database.windows.net,1433;User ID=app;Password=${ALNUM(16)};`, `Driver={ODBC};Server=fake;Uid=app;Pwd=${ALNUM(14)};`],
            false: ["Server=db;Database=app;User Id=app;Password=;", "Server=db;Password=${DB_PASSWORD};", "Set password= in the config file, then restart."],
        },
    },
    {
        id: "pulumi-access-token", label: "Pulumi access token", description: "pul- followed by 40 hex characters (a Pulumi Cloud access token), anywhere in a string.",
        keywords: ["pul-"],
        // Not glued to a word, except after an escaped line break or tab (`...\\npul-...` in JSON-escaped text).
        regex: /(?:(?<![A-Za-z0-9])|(?<=\\[nrt]))pul-[a-f0-9]{40}(?![A-Za-z0-9])/g,
        check: { require: ["lower", "digit"], minEntropy: 3 },
        examples: {
            true: ["pul-" + HEX(40), `PULUMI_ACCESS_TOKEN=pul-${HEX(40)}`, JSON.stringify({ pulumi: { token: "pul-" + HEX(40) } }), JSON.stringify({ userData: `#!/bin/sh\npul-${HEX(40)}` })],
            false: ["pul-" + HEX(32), "pul-" + "0".repeat(40), "pul-" + HEX(40).toUpperCase(), "my-pul-" + HEX(40) + "0"],
        },
    },
    {
        id: "npm-token", label: "npm access token", description: "npm_ followed by 36 alphanumerics.",
        keywords: ["npm_"],
        regex: /(?<![A-Za-z0-9_])npm_([A-Za-z0-9]{36})(?![A-Za-z0-9_])/g,
        check: { group: 1, minClasses: 2 },
        examples: { true: ["npm_" + ALNUM(36), `//registry.npmjs.org/:_authToken=npm_${ALNUM(36)}`], false: ["npm_config_cache_directory_for_builds_x", "npm_" + fill("abcdefgh", 36)] },
    },
    {
        id: "replicate-token", label: "Replicate API token", description: "r8_ followed by 37 alphanumerics.",
        keywords: ["r8_"],
        regex: /(?<![A-Za-z0-9_])r8_([A-Za-z0-9]{37})(?![A-Za-z0-9_])/g,
        check: { group: 1, minClasses: 2 },
        examples: { true: ["r8_" + ALNUM(37), `REPLICATE_API_TOKEN=r8_${ALNUM(37)}`], false: ["r8_" + ALNUM(20), "r8_" + fill("abcdefgh", 37)] },
    },
    {
        id: "azure-ad-client-secret", label: "Azure AD client secret",
        description: "An Entra ID (Azure AD) application client secret: 3 characters, a digit, Q~, then 31-34 characters.",
        keywords: ["Q~"],
        regex: /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/g,
        check: { minEntropy: 3 },
        examples: {
            true: [`Fak8Q~${fill("Fake0Example1Body2.~", 34)}`, `AZURE_CLIENT_SECRET="abc1Q~${ALNUM(31)}"`],
            false: [`Fak8Q~${ALNUM(20)}`, `aaa8Q~${"a".repeat(34)}`, `FakeQ~${ALNUM(34)}`],
        },
    },
    {
        id: "secret-assignment", label: "secret assigned to a variable",
        description: "NAME=value, export NAME=value, NAME: value or Dockerfile ENV NAME value, where NAME is an upper-case " +
            "variable ending in _KEY, _TOKEN, _SECRET or _PASSWORD (not PUBLIC_KEY, PARTITION_KEY, CACHE_KEY, PAGE_TOKEN...) " +
            "and the value is a literal of at least 8 characters mixing two classes (lower, upper, digits, symbols), " +
            "not a $VAR/${VAR}/$(cmd)/%VAR%/{{...}} reference, a placeholder, an ARN or another reference.",
        keywords: ["_KEY", "_TOKEN", "_SECRET", "_PASSWORD"],
        custom: secretAssignment,
        generic: true,
        examples: {
            true: ["DB_PASSWORD=Winter2024!", `export WANDB_API_KEY=${HEX(40)}`, `COHERE_API_KEY: "${ALNUM(40)}"`, `FROM python:3.12\nENV X_TOKEN ${ALNUM(24)}\n`, `ENV HF_SECRET=${ALNUM(24)}`],
            false: ["DB_PASSWORD=$DB_PASSWORD", "API_KEY=${API_KEY}", "GH_TOKEN=$(cat /run/secrets/gh)", "DB_PASSWORD=%DB_PASSWORD%", "API_KEY={{ .Values.apiKey }}",
                "DB_PASSWORD=", 'DB_PASSWORD=""', "SSH_PUBLIC_KEY=AAAAC3NzaC1lZDI1NTE5AAAAIFake", "PARTITION_KEY=customerId2", "DB_PASSWORD=changeme",
                "SECRET_ARN_KEY=arn:aws:secretsmanager:us-east-1:123456789012:secret:fake-AbCdEf", "Set OPENAI_API_KEY variable2 first", "$OPENAI_API_KEY=Winter2024!",
                "API_KEY=projects/fake/secrets/api-key/versions/latest", "CACHE_KEY=model-v2-2024", `STRIPE_PUBLISHABLE_KEY=pk_live_${ALNUM(24)}`],
        },
    },
];
