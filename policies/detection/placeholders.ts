// Committed placeholder values ("your-vault-token", "changeme", "<value>"). Pure: no @pulumi imports.
// A placeholder at a secret-bearing key is still reported, under the detector "placeholder": it is a value that will
// either break the deployment or be replaced by a real secret in code.

/** Words placeholders are made of. A value made only of these (and digits) is a placeholder. */
const VOCAB = new Set([
    // framing
    "your", "my", "the", "a", "an", "our", "some", "this", "here", "goes", "put", "insert", "enter", "add", "set",
    "replace", "with", "me", "it", "change", "changeme", "changeit", "replaceme", "fill", "in", "to", "be", "value",
    "todo", "tbd", "fixme", "placeholder", "dummy", "example", "sample", "fake", "test", "testing", "demo", "mock",
    "default", "temp", "tmp", "foo", "bar", "baz", "qux", "xxx", "yyy", "zzz", "abc", "none", "null", "nil",
    "undefined", "empty", "string", "redacted", "hidden", "masked", "not", "real", "dev", "local", "super", "very",
    "top", "new", "old", "s3cr3t", "letmein", "qwerty", "hunter", "admin", "root", "user", "guest",
    // what the secret is
    "secret", "secrets", "password", "passwd", "pwd", "pass", "passphrase", "token", "key", "keys", "api", "apikey",
    "access", "auth", "client", "private", "vault", "ml", "ai", "openai", "db", "database", "sql", "storage",
    "account", "connection", "conn", "credential", "credentials", "cred", "creds", "webhook", "bearer", "jwt",
    "service", "app", "github", "gitlab", "slack", "stripe", "aws", "gcp", "azure", "hf", "huggingface", "sk",
]);

/** Well-known throwaway passwords written with digits or symbols, compared whole (trailing digits ignored). */
const LEET = new Set(["s3cr3t", "s3cret", "secr3t", "p4ssw0rd", "passw0rd", "p@ssw0rd", "p@ssword", "pa55word", "pa$$word", "l3tm31n", "t0ken", "ch4ngeme", "chang3me"]);

/** At least one of these must appear, so a plain word like "admin" or "root" alone is not enough. */
const MARKERS = new Set([
    "your", "my", "changeme", "changeit", "replaceme", "change", "replace", "todo", "tbd", "fixme", "placeholder",
    "dummy", "example", "sample", "fake", "test", "demo", "mock", "xxx", "redacted", "insert", "enter", "secret",
    "password", "passwd", "token", "foo", "none", "null", "undefined", "empty", "s3cr3t", "letmein", "qwerty",
]);

/**
 * An upper-case enumeration word: `NONE`, `AWS_IAM`, `CUSTOM`, `COGNITO_USER_POOLS`, `TLS1_2`. Each `_`-separated part
 * is 1-16 letters with at most three trailing digits, the first at least two letters; 40 characters at most. This is
 * how APIs spell modes and types (API Gateway `authorization: "NONE"`), not how secrets look; random upper-case
 * keys carry digits inside their runs and are not enumeration words.
 */
export function isEnumWord(s: string): boolean {
    return typeof s === "string" && s.length <= 40 && /^[A-Z]{2,16}[0-9]{0,3}(?:_[A-Z]{1,16}[0-9]{0,3})*$/.test(s);
}

/** Lower-case setting words and booleans sent as strings: how providers spell modes (`httpTokens: "required"`). */
const SETTING_WORDS: ReadonlySet<string> = new Set(["true", "false", "yes", "no", "on", "off", "required", "optional", "enabled", "disabled", "auto", "allow", "deny"]);

/**
 * A mode, not a secret: an upper-case enumeration word (`NONE`, `AWS_IAM`), a lower-case setting word
 * (`httpTokens: "required"`, IMDSv2) or a boolean sent as a string (`skipChildToken: "true"`).
 */
export function isSettingValue(s: string): boolean {
    if (typeof s !== "string") return false;
    const t = s.trim();
    return isEnumWord(t) || SETTING_WORDS.has(t);
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A GUID: how Azure names applications, tenants and subscriptions (`clientId`, `tenantId`), not a secret's shape. */
export function isGuid(s: string): boolean {
    return typeof s === "string" && GUID.test(s.trim());
}

/** Words that mark a placeholder in prose (`none`, `null`) but are plain enumeration values in upper case (`NONE`). */
const ENUM_VALUE_WORDS = new Set(["none", "null", "nil", "undefined", "empty", "default"]);

// eslint-disable-next-line no-control-regex -- "every character is ASCII" includes the control characters
const ASCII = /^[\x00-\x7f]*$/;

/** A placeholder's word: in the vocabulary, or a run of three or more x. */
function knownWord(w: string): boolean {
    return VOCAB.has(w) || /^x{3,}$/.test(w);
}

/**
 * For an ASCII value, whether every word isPlaceholder would split it into is a known word: words are the runs of
 * letters, split where a lower-case letter meets an upper-case one, lower-cased (digits and other characters separate).
 */
function asciiWordsKnown(t: string): boolean {
    let start = -1;
    for (let i = 0; i <= t.length; i++) {
        const c = i < t.length ? t.charCodeAt(i) : 0;
        const upper = c >= 65 && c <= 90;
        const letter = upper || (c >= 97 && c <= 122);
        if (start !== -1) {
            const prev = t.charCodeAt(i - 1);
            // A word ends at a non-letter, or where a lower-case letter meets an upper-case one.
            if (!letter || (upper && prev >= 97 && prev <= 122)) {
                if (!knownWord(t.slice(start, i).toLowerCase())) return false;
                start = -1;
            }
        }
        if (letter && start === -1) start = i;
    }
    return true;
}

/**
 * True for committed placeholder values: `your-vault-token`, `<your-token>`, `{{ api_key }}`-free forms such as
 * `changeme`, `CHANGE_ME`, `replace-me`, `TODO`, `xxxxxxxx`, `sk-xxxxxxxxxxxx`, `*****`, `super-secret-api-key`,
 * `my-secret`, `password123`, `dummy`, `example`, `test-token`, `my-ml-api-key`.
 */
export function isPlaceholder(s: string): boolean {
    if (typeof s !== "string") return false;
    const t = s.trim();
    if (t.length === 0 || t.length > 128) return false;
    // Angle/square-bracketed hints: <value>, <your-token>, [YOUR_KEY], <<password>>.
    if (/^<{1,2}[^<>]{1,100}>{1,2}$/.test(t) || /^\[[A-Za-z _-]{1,100}\]$/.test(t)) return true;
    // Masks and fill characters: *****, xxxxxx, sk-xxxxxxxxxxxxxxxx, AKIAXXXXXXXXXXXXXXXX, ••••, ....
    if (/^[*•.#?_-]{3,}$/.test(t) || /^[xX*•]{3,}$/.test(t) || /[xX]{8,}|\*{4,}|•{3,}/.test(t)) return true;
    if (/^(.)\1{5,}$/.test(t)) return true; // "aaaaaaa", "00000000"
    if (LEET.has(t.toLowerCase().replace(/[0-9!._-]*$/, ""))) return true;
    // Most values reaching here are real secrets: one pass over an ASCII value rejects them at the first word outside
    // the vocabulary, before the words are built below.
    if (ASCII.test(t) && !asciiWordsKnown(t)) return false;
    const words = t
        .replace(/([a-z])([A-Z])/g, "$1 $2")
        .toLowerCase()
        .replace(/\d+/g, " ")
        .split(/[^a-z0-9]+/)
        .filter((w) => w.length > 0);
    if (words.length === 0 || words.length > 10) return false;
    // In an upper-case enumeration word (`NONE`), none/null/empty are the value, not a hint to fill one in.
    const enumWord = isEnumWord(t);
    let marker = false;
    for (const w of words) {
        if (!VOCAB.has(w) && !/^x{3,}$/.test(w)) return false;
        if ((MARKERS.has(w) && !(enumWord && ENUM_VALUE_WORDS.has(w))) || /^x{3,}$/.test(w)) marker = true;
    }
    return marker;
}
