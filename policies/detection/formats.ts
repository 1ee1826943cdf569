// Credential FORMAT detectors ("kind (a)"): strings that are secrets because of what they look like, wherever they
// appear. Pure: no @pulumi imports, no dependencies.
//
// Speed and ReDoS safety (this runs on every string of every resource during `pulumi preview`):
// - Every detector first looks for a cheap literal anchor with `indexOf` ("AKIA", "sk-", "-----BEGIN", "://", ...)
//   and runs its regex only when the anchor is present.
// - Every regex is anchored on a literal, uses explicit `{m,n}` bounds, and has no nested quantifiers and no
//   overlapping alternation under a quantifier, so one match attempt costs O(bound) and a whole scan is linear in the
//   input length. Most candidates also need a preceding non-word character (a one-character lookbehind), so runs of
//   repeated anchors ("AKIAAKIA...", "eyJeyJ...") start at most one attempt per run.
// - Built-in detectors have NO input-length bound: strings of any length are checked by all of them.
// - User-supplied extra patterns (policy config) are the only unbounded-cost regexes: they are vetted by
//   compileExtraPatterns() and run on at most the first EXTRA_PATTERN_MAX_INPUT characters of a string.
import { keyTokens } from "./keys";

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

/** A user-supplied regex source from policy config. */
export interface ExtraPattern {
    id: string;
    pattern: string;
}

export interface FindOptions {
    /** Detector ids to skip. */
    disabled?: ReadonlySet<string>;
    /** Compiled extra patterns (from compileExtraPatterns). */
    extra?: { id: string; re: RegExp }[];
    /**
     * The property key the string sits at, when known. Lets context-dependent formats (a bare AWS secret access key,
     * a legacy `s.` Vault token, a bare Azure account key) be recognised when the key names them.
     */
    key?: string;
}

/** User patterns run on at most this many leading characters of a string (built-in detectors have no bound). */
export const EXTRA_PATTERN_MAX_INPUT = 1024 * 1024;

export const FORMAT_DETECTORS: readonly FormatDetector[] = [
    { id: "aws-access-key-id", label: "AWS access key id", description: "AKIA/ASIA/ABIA/ACCA followed by 16 base32 characters." },
    { id: "aws-secret-access-key", label: "AWS secret access key", description: "A 40-character base64 key next to aws_secret_access_key/secretAccessKey or an access key id, or at a key naming it." },
    { id: "gcp-api-key", label: "Google API key", description: "AIza followed by 35 characters." },
    { id: "gcp-service-account-key", label: "Google service-account key", description: "A service-account JSON key (\"type\": \"service_account\") holding a private_key PEM." },
    { id: "azure-storage-key", label: "Azure storage account key", description: "AccountKey=<86-88 base64 characters> in a connection string, or a bare account key at a key naming it." },
    { id: "azure-shared-access-key", label: "Azure shared access key", description: "SharedAccessKey=<base64> in a Service Bus / Event Hubs / IoT Hub connection string." },
    { id: "azure-sas-token", label: "Azure SAS token", description: "A shared access signature: SharedAccessSignature=... or a sv=...&sig=... query." },
    { id: "vault-token", label: "HashiCorp Vault token", description: "hvs./hvb./hvr. tokens, and legacy s. tokens when the string is the token or follows a token key or X-Vault-Token." },
    { id: "openai-api-key", label: "OpenAI API key", description: "sk-, sk-proj-, sk-svcacct- or sk-admin- followed by a long random body." },
    { id: "anthropic-api-key", label: "Anthropic API key", description: "sk-ant-api03-... / sk-ant-admin01-... keys." },
    { id: "huggingface-token", label: "Hugging Face token", description: "hf_ followed by 34+ alphanumerics." },
    { id: "github-token", label: "GitHub token", description: "ghp_/gho_/ghu_/ghs_/ghr_ + 36 characters, or github_pat_ + 82." },
    { id: "gitlab-token", label: "GitLab token", description: "glpat- (and gldt-, glrt-, glptt-, glcbt-) followed by 20+ characters." },
    { id: "slack-token", label: "Slack token", description: "xoxa-/xoxb-/xoxp-/xoxo-/xoxs-/xoxr-/xoxe- and xapp- tokens." },
    { id: "slack-webhook", label: "Slack webhook URL", description: "https://hooks.slack.com/services/T.../B.../..." },
    { id: "stripe-key", label: "Stripe secret key", description: "sk_live_/sk_test_/rk_live_/rk_test_ keys and whsec_ webhook signing secrets." },
    { id: "databricks-token", label: "Databricks token", description: "dapi followed by 32 hex characters (optionally -N)." },
    { id: "private-key", label: "PEM private key", description: "-----BEGIN ... PRIVATE KEY----- followed by key material (also with escaped \\n)." },
    { id: "jwt", label: "JSON Web Token", description: "Three base64url segments whose header decodes to JSON with an alg." },
    { id: "url-password", label: "password in URL", description: "scheme://user:password@host with a literal password." },
    { id: "connection-string-password", label: "password in connection string", description: "Password=/Pwd= with a literal value in an ADO/JDBC/ODBC-style connection string." },
];

const LABELS = new Map(FORMAT_DETECTORS.map((d) => [d.id, d.label]));

// ---------------------------------------------------------------------------------------------------------------
// Helpers

type Push = (start: number, end: number) => void;

interface Ctx {
    s: string;
    keyTokens: string[] | undefined;
    push: Push;
}

/**
 * A detector reports at most this many spans per string, and stops scanning once it has them: a string is
 * flagged by its first hit already, and a 1 MB run of genuine matches ("Password=a;" x 100k) must stay fast.
 */
export const MAX_HITS_PER_DETECTOR = 1000;
/** Spans left for the detector that is running (findCredentialFormats is not re-entered from a detector). */
let budget = MAX_HITS_PER_DETECTOR;

/** Iterates the matches of a global regex until the detector's hit budget is spent. */
function each(re: RegExp, s: string, from: number, cb: (m: RegExpExecArray) => void): void {
    re.lastIndex = from;
    let m: RegExpExecArray | null;
    while (budget > 0 && (m = re.exec(s)) !== null) {
        if (m[0].length === 0) re.lastIndex++;
        cb(m);
    }
}

function has(s: string, ...anchors: string[]): boolean {
    for (const a of anchors) if (s.indexOf(a) !== -1) return true;
    return false;
}

const enum Cls {
    Lower = 1,
    Upper = 2,
    Digit = 4,
}

function classes(body: string): number {
    let c = 0;
    for (let i = 0; i < body.length && c !== 7; i++) {
        const ch = body.charCodeAt(i);
        if (ch >= 97 && ch <= 122) c |= Cls.Lower;
        else if (ch >= 65 && ch <= 90) c |= Cls.Upper;
        else if (ch >= 48 && ch <= 57) c |= Cls.Digit;
    }
    return c;
}

function classCount(body: string): number {
    const c = classes(body);
    return (c & 1) + ((c >> 1) & 1) + ((c >> 2) & 1);
}

/** At least two of lower/upper/digit: random-looking rather than a word. */
function mixed(body: string): boolean {
    return classCount(body) >= 2;
}

function hasAll(body: string): boolean {
    return classes(body) === 7;
}

// ---------------------------------------------------------------------------------------------------------------
// AWS

const AWS_ID_RE = /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Za-z0-9])/g;

function awsIdOk(m: string): boolean {
    // "ASIA" starts English words ("ASIAPACIFICSOUTHEAST"): require a digit in its body.
    return !m.startsWith("ASIA") || /[2-7]/.test(m.slice(4));
}

/** One scan for the four id prefixes (four indexOf scans cost 4x on a run of "A"). */
const AWS_ID_ANCHOR_RE = /A(?:KIA|SIA|BIA|CCA)/;

function awsAccessKeyId(c: Ctx): void {
    if (!AWS_ID_ANCHOR_RE.test(c.s)) return;
    each(AWS_ID_RE, c.s, 0, (m) => {
        if (awsIdOk(m[0])) c.push(m.index, m.index + m[0].length);
    });
}

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

function awsSecretAccessKey(c: Ctx): void {
    const s = c.s;
    if (c.keyTokens && isAwsSecretKeyName(c.keyTokens)) {
        const t = s.trim();
        if (AWS_SECRET_WHOLE_RE.test(t) && awsSecretBody(t)) {
            const start = s.indexOf(t);
            c.push(start, start + t.length);
            return;
        }
    }
    if (has(s, "ecret", "ECRET")) {
        each(AWS_SECRET_CONTEXT_RE, s, 0, (m) => {
            const body = m[1];
            if (!awsSecretBody(body)) return;
            const end = m.index + m[0].length;
            c.push(end - body.length, end);
        });
    }
    if (AWS_ID_ANCHOR_RE.test(s)) {
        let scannedTo = 0;
        each(AWS_ID_RE, s, 0, (m) => {
            if (!awsIdOk(m[0])) return;
            const from = Math.max(m.index + m[0].length, scannedTo);
            const to = Math.min(s.length, m.index + m[0].length + AWS_SECRET_WINDOW);
            if (from >= to) return;
            scannedTo = to;
            const win = s.slice(from, to);
            each(AWS_SECRET_NEAR_ID_RE, win, 0, (w) => {
                if (awsSecretBody(w[0])) c.push(from + w.index, from + w.index + 40);
            });
        });
    }
}

function isAwsSecretKeyName(t: string[]): boolean {
    const j = t.join("");
    return j.includes("secretaccesskey") || j.includes("awssecretkey") || j.endsWith("awssecret");
}

// ---------------------------------------------------------------------------------------------------------------
// Google

const GCP_API_KEY_RE = /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/g;

function gcpApiKey(c: Ctx): void {
    if (!has(c.s, "AIza")) return;
    each(GCP_API_KEY_RE, c.s, 0, (m) => c.push(m.index, m.index + m[0].length));
}

const SA_TYPE_RE = /"type\\{0,2}"\s{0,8}:\s{0,8}\\{0,2}"service_account\\{0,2}"/;
const SA_KEY_RE = /"private_key\\{0,2}"\s{0,8}:\s{0,8}\\{0,2}"(-----BEGIN [A-Z ]{0,40}PRIVATE KEY-----)/g;
/** How far a PEM's END line is looked for after its BEGIN line. */
const PEM_MAX_LENGTH = 16384;

function gcpServiceAccountKey(c: Ctx): void {
    const s = c.s;
    if (!has(s, "service_account") || !has(s, "private_key") || !SA_TYPE_RE.test(s)) return;
    let endMarker = -2; // cached index of the next "-----END" (linear over repeated keys)
    each(SA_KEY_RE, s, 0, (m) => {
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
    return b.length >= 86 && b.length <= 88 && hasAll(b);
}

function azureStorageKey(c: Ctx): void {
    const s = c.s;
    if (c.keyTokens && isAzureAccountKeyName(c.keyTokens)) {
        const t = s.trim();
        if (AZ_KEY_WHOLE_RE.test(t) && azKeyBody(t)) {
            const start = s.indexOf(t);
            c.push(start, start + t.length);
            return;
        }
    }
    if (!has(s, "ccountKey", "ccountkey", "CCOUNTKEY")) return;
    each(AZ_ACCOUNT_KEY_RE, s, 0, (m) => {
        if (!azKeyBody(m[1])) return;
        const end = m.index + m[0].length;
        c.push(end - m[1].length, end);
    });
}

function isAzureAccountKeyName(t: string[]): boolean {
    const j = t.join("");
    return j.endsWith("accountkey") || j.endsWith("storagekey") || j.endsWith("storageaccountkey");
}

const AZ_SHARED_KEY_RE = /SharedAccessKey\s{0,4}=\s{0,4}([A-Za-z0-9+/]{30,88}={0,2})(?![A-Za-z0-9+/=])/gi;

function azureSharedAccessKey(c: Ctx): void {
    if (!has(c.s, "haredAccessKey", "haredaccesskey", "HAREDACCESSKEY")) return;
    each(AZ_SHARED_KEY_RE, c.s, 0, (m) => {
        if (!mixed(m[1])) return;
        const end = m.index + m[0].length;
        c.push(end - m[1].length, end);
    });
}

const AZ_SAS_CS_RE = /SharedAccessSignature\s{0,4}[=\s]\s{0,4}(?:SharedAccessSignature\s{1,4})?([^;"'\s]{20,2048})/gi;
const AZ_SAS_SIG_RE = /[?&;]sig=([A-Za-z0-9%+/=_-]{20,256})/g;

function azureSasToken(c: Ctx): void {
    const s = c.s;
    if (!has(s, "sig=")) return;
    if (has(s, "haredAccessSignature", "haredaccesssignature", "HAREDACCESSSIGNATURE")) {
        each(AZ_SAS_CS_RE, s, 0, (m) => {
            if (m[1].indexOf("sig=") === -1) return;
            const end = m.index + m[0].length;
            c.push(end - m[1].length, end);
        });
    }
    if (!has(s, "sv=", "sr=")) return;
    each(AZ_SAS_SIG_RE, s, 0, (m) => {
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

function vaultToken(c: Ctx): void {
    const s = c.s;
    if (has(s, "hvs.", "hvb.", "hvr.")) {
        each(VAULT_RE, s, 0, (m) => {
            if (mixed(m[0].slice(4))) c.push(m.index, m.index + m[0].length);
        });
    }
    if (!has(s, "s.")) return;
    const t = s.trim();
    if (t.length === 26 && VAULT_LEGACY_WHOLE_RE.test(t) && mixed(t.slice(2))) {
        const start = s.indexOf(t);
        c.push(start, start + 26);
        return;
    }
    if (has(s, "oken", "OKEN")) {
        each(VAULT_LEGACY_CTX_RE, s, 0, (m) => {
            if (!mixed(m[1].slice(2))) return;
            const end = m.index + m[0].length;
            c.push(end - 26, end);
        });
    }
}

// ---------------------------------------------------------------------------------------------------------------
// AI / SaaS API keys

const ANTHROPIC_RE = /(?<![A-Za-z0-9_-])sk-ant-(?:api|admin|oat|sid)\d{2}-[A-Za-z0-9_-]{32,256}/g;
const OPENAI_RE = /(?<![A-Za-z0-9_-])sk-(?!ant-)(?:(?:proj|svcacct|admin)-)?[A-Za-z0-9_-]{32,256}/g;

function openaiApiKey(c: Ctx): void {
    if (!has(c.s, "sk-")) return;
    each(OPENAI_RE, c.s, 0, (m) => {
        const body = m[0].replace(/^sk-(?:(?:proj|svcacct|admin)-)?/, "");
        // "sk-learn-...", "sk-some-long-kebab-name": a real key body mixes upper, lower and digits.
        if (hasAll(body)) c.push(m.index, m.index + m[0].length);
    });
}

function anthropicApiKey(c: Ctx): void {
    if (!has(c.s, "sk-ant-")) return;
    each(ANTHROPIC_RE, c.s, 0, (m) => {
        if (mixed(m[0].slice(14))) c.push(m.index, m.index + m[0].length);
    });
}

const HF_RE = /(?<![A-Za-z0-9_])hf_[A-Za-z0-9]{34,40}(?![A-Za-z0-9_])/g;

function huggingfaceToken(c: Ctx): void {
    if (!has(c.s, "hf_")) return;
    each(HF_RE, c.s, 0, (m) => {
        if ((classes(m[0].slice(3)) & 3) === 3) c.push(m.index, m.index + m[0].length);
    });
}

const GITHUB_RE = /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{82,200})(?![A-Za-z0-9_])/g;

function githubToken(c: Ctx): void {
    if (!has(c.s, "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_")) return;
    each(GITHUB_RE, c.s, 0, (m) => {
        if (mixed(m[0].slice(4))) c.push(m.index, m.index + m[0].length);
    });
}

const GITLAB_RE = /(?<![A-Za-z0-9_-])gl(?:pat|dt|rt|ptt|cbt)-[A-Za-z0-9_.-]{20,128}/g;

function gitlabToken(c: Ctx): void {
    if (!has(c.s, "glpat-", "gldt-", "glrt-", "glptt-", "glcbt-")) return;
    each(GITLAB_RE, c.s, 0, (m) => {
        const body = m[0].slice(m[0].indexOf("-") + 1);
        if (mixed(body)) c.push(m.index, m.index + m[0].length);
    });
}

const SLACK_RE = /(?<![A-Za-z0-9_-])(?:xox[abposre]-|xapp-\d-)[A-Za-z0-9-]{20,250}/g;

function slackToken(c: Ctx): void {
    if (!has(c.s, "xox", "xapp-")) return;
    each(SLACK_RE, c.s, 0, (m) => {
        if (mixed(m[0].slice(5)) && /\d/.test(m[0].slice(5))) c.push(m.index, m.index + m[0].length);
    });
}

const SLACK_HOOK_RE =
    /https?:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/T[A-Za-z0-9_]{6,16}\/[A-Za-z0-9_]{6,24}\/[A-Za-z0-9_]{16,64}/g;

function slackWebhook(c: Ctx): void {
    if (!has(c.s, "hooks.slack.com")) return;
    each(SLACK_HOOK_RE, c.s, 0, (m) => c.push(m.index, m.index + m[0].length));
}

const STRIPE_RE = /(?<![A-Za-z0-9_])(?:(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{24,247}|whsec_[A-Za-z0-9+/]{32,64})(?![A-Za-z0-9_])/g;

function stripeKey(c: Ctx): void {
    if (!has(c.s, "k_live_", "k_test_", "whsec_")) return;
    each(STRIPE_RE, c.s, 0, (m) => {
        if (mixed(m[0].slice(8))) c.push(m.index, m.index + m[0].length);
    });
}

const DATABRICKS_RE = /(?<![A-Za-z0-9_])dapi[a-f0-9]{32}(?:-\d{1,2})?(?![A-Za-z0-9_])/g;

function databricksToken(c: Ctx): void {
    if (!has(c.s, "dapi")) return;
    each(DATABRICKS_RE, c.s, 0, (m) => {
        if ((classes(m[0].slice(4, 36)) & 5) === 5) c.push(m.index, m.index + m[0].length);
    });
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
    if (!has(s, "-----BEGIN")) return;
    let nextEnd = -2; // cached index of the next "-----END" (linear over repeated headers)
    let lastEnd = 0;
    each(PEM_RE, s, 0, (m) => {
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
    if (!has(c.s, "eyJ")) return;
    each(JWT_RE, c.s, 0, (m) => {
        const dot = m[0].indexOf(".");
        if (jwtHeaderOk(m[0].slice(0, dot))) c.push(m.index, m.index + m[0].length);
    });
}

// ---------------------------------------------------------------------------------------------------------------
// Passwords in URLs and connection strings

/** After "://": user (may be empty), ":", password, "@", a host character. Sticky: applied at each "://". */
const URL_CRED_RE = /([^\s:/?#@'"<>]{0,256}):([^\s/?#@'"<>]{1,256})@[A-Za-z0-9[_]/y;

/** References and masks that are not a literal password. */
function isPasswordReference(p: string): boolean {
    if (/^\*+$/.test(p) || /^x{3,}$/i.test(p)) return true;
    if (p.startsWith("${") || p.startsWith("{{") || p.startsWith("$(") || p.startsWith("#{") || p.startsWith("@Microsoft.KeyVault(")) return true;
    if (/^\$[A-Za-z_][A-Za-z0-9_]*$/.test(p) || /^%[A-Za-z_][A-Za-z0-9_]*%$/.test(p) || /^%\(?[A-Za-z_]*\)?s$/.test(p)) return true;
    if ((p.startsWith("<") && p.endsWith(">")) || (p.startsWith("{") && p.endsWith("}")) || (p.startsWith("[") && p.endsWith("]"))) return true;
    return false;
}

function urlPassword(c: Ctx): void {
    const s = c.s;
    let i = s.indexOf("://");
    while (i !== -1 && budget > 0) {
        // A scheme (a letter before "://") is required.
        const prev = i > 0 ? s.charCodeAt(i - 1) : 0;
        const isLetter = (prev >= 97 && prev <= 122) || (prev >= 65 && prev <= 90) || (prev >= 48 && prev <= 57);
        if (isLetter) {
            URL_CRED_RE.lastIndex = i + 3;
            const m = URL_CRED_RE.exec(s);
            if (m) {
                const pw = m[2];
                if (!isPasswordReference(pw)) {
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
    if (!has(s, "=") || !has(s, "assword", "ASSWORD", "wd", "WD", "Wd")) return;
    let context: boolean | undefined;
    each(CS_PASSWORD_RE, s, 0, (m) => {
        let v = m[1];
        let vStart = m.index + m[0].length - v.length;
        if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) {
            v = v.slice(1, -1);
            vStart++;
        }
        if (v.trim().length === 0 || isPasswordReference(v)) return;
        if (context === undefined) context = CS_CONTEXT_RE.test(s) || /^\s*(?:jdbc|odbc):/i.test(s);
        if (!context) return;
        c.push(vStart, vStart + v.length);
    });
}

// ---------------------------------------------------------------------------------------------------------------

const IMPLS: ReadonlyArray<readonly [string, (c: Ctx) => void]> = [
    ["aws-access-key-id", awsAccessKeyId],
    ["aws-secret-access-key", awsSecretAccessKey],
    ["gcp-api-key", gcpApiKey],
    ["gcp-service-account-key", gcpServiceAccountKey],
    ["azure-storage-key", azureStorageKey],
    ["azure-shared-access-key", azureSharedAccessKey],
    ["azure-sas-token", azureSasToken],
    ["vault-token", vaultToken],
    ["openai-api-key", openaiApiKey],
    ["anthropic-api-key", anthropicApiKey],
    ["huggingface-token", huggingfaceToken],
    ["github-token", githubToken],
    ["gitlab-token", gitlabToken],
    ["slack-token", slackToken],
    ["slack-webhook", slackWebhook],
    ["stripe-key", stripeKey],
    ["databricks-token", databricksToken],
    ["private-key", privateKey],
    ["jwt", jwt],
    ["url-password", urlPassword],
    ["connection-string-password", connectionStringPassword],
];

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

/**
 * The literal anchors of every detector (each detector also checks its own again before running its regex).
 * KEEP IN SYNC with the detectors: the labelled-set tests fail when a positive is gated out.
 */
const ANCHORS: ReadonlyArray<readonly [string[], string[]]> = [
    [["AKIA", "ASIA", "ABIA", "ACCA"], ["aws-access-key-id", "aws-secret-access-key"]],
    [["ecret", "ECRET"], ["aws-secret-access-key"]],
    [["AIza"], ["gcp-api-key"]],
    [["service_account"], ["gcp-service-account-key"]],
    [["ccountKey", "ccountkey", "CCOUNTKEY"], ["azure-storage-key"]],
    [["haredAccess", "haredaccess", "HAREDACCESS"], ["azure-shared-access-key", "azure-sas-token"]],
    [["sig="], ["azure-sas-token"]],
    [["hvs.", "hvb.", "hvr.", "oken", "OKEN"], ["vault-token"]],
    [["sk-"], ["openai-api-key", "anthropic-api-key"]],
    [["hf_"], ["huggingface-token"]],
    [["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"], ["github-token"]],
    [["glpat-", "gldt-", "glrt-", "glptt-", "glcbt-"], ["gitlab-token"]],
    [["xox", "xapp-"], ["slack-token"]],
    [["hooks.slack.com"], ["slack-webhook"]],
    [["k_live_", "k_test_", "whsec_"], ["stripe-key"]],
    [["dapi"], ["databricks-token"]],
    [["-----BEGIN"], ["private-key"]],
    [["eyJ"], ["jwt"]],
    [["://"], ["url-password"]],
    [["assword", "ASSWORD", "wd", "WD", "Wd"], ["connection-string-password"]],
];

const BIT = new Map(IMPLS.map(([id], i) => [id, 1 << i]));
const ALL_BITS = (1 << IMPLS.length) - 1;
const ANCHOR_BITS = new Map<string, number>();
for (const [literals, ids] of ANCHORS) {
    const bits = ids.reduce((b, id) => b | BIT.get(id)!, 0);
    for (const l of literals) ANCHOR_BITS.set(l, (ANCHOR_BITS.get(l) ?? 0) | bits);
}
/** One regex over all anchors, longest first. */
const GATE_RE = new RegExp(
    [...ANCHOR_BITS.keys()].sort((a, b) => b.length - a.length).map((l) => l.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&")).join("|"),
    "g",
);
/** After this many anchor occurrences the gate stops looking and lets every detector check for itself. */
const GATE_MAX_MATCHES = 64;

const keyBitsCache = new Map<string, number>();

/**
 * The detectors a property key alone can enable: a bare AWS secret key or Azure account key at a key naming it.
 * (A legacy `s.` Vault token is recognised by its whole-string shape, with or without a key.) Memoised per key.
 */
function keyBits(key: string): number {
    let b = keyBitsCache.get(key);
    if (b === undefined) {
        const t = keyTokens(key);
        b = (isAwsSecretKeyName(t) ? BIT.get("aws-secret-access-key")! : 0) | (isAzureAccountKeyName(t) ? BIT.get("azure-storage-key")! : 0);
        if (keyBitsCache.size >= 4096) keyBitsCache.clear();
        keyBitsCache.set(key, b);
    }
    return b;
}

/**
 * Which detectors can possibly match `s`: one regex scan for the union of all anchors. Most property strings
 * (names, tags, ids) hold none and cost that one scan; the rest run only the detectors whose anchors they hold.
 */
function candidateDetectors(s: string, key: string | undefined): number {
    let bits = 0;
    if (key !== undefined) bits |= keyBits(key);
    // A legacy Vault token is recognised when it is the whole (trimmed) string: 26 characters, no anchor but "s.".
    if (s.length < 64 && s.trim().length === 26) bits |= BIT.get("vault-token")!;
    GATE_RE.lastIndex = 0;
    let m: RegExpExecArray | null;
    let n = 0;
    while ((m = GATE_RE.exec(s)) !== null) {
        if (++n > GATE_MAX_MATCHES) return ALL_BITS;
        bits |= ANCHOR_BITS.get(m[0])!;
        if (bits === ALL_BITS) break;
    }
    return bits;
}

/** The shortest string any built-in detector can match ("a://:p@h" is 8; "pwd=x" needs a context pair). */
const MIN_LENGTH = 8;

/**
 * Every credential format found in `s`, as [start, end) spans, sorted by start. A detector reports a span once;
 * different detectors may report overlapping spans (a service-account JSON is also a PEM).
 */
export function findCredentialFormats(
    s: string,
    opts: FindOptions = {},
): FormatHit[] {
    const out: FormatHit[] = [];
    if (typeof s !== "string" || s.length === 0) return out;
    const disabled = opts.disabled;
    const bits = s.length >= MIN_LENGTH ? candidateDetectors(s, opts.key) : 0;
    if (bits !== 0) {
        const ctx: Ctx = {
            s,
            keyTokens: opts.key !== undefined ? keyTokens(opts.key) : undefined,
            push: () => undefined,
        };
        let spans: number[] = [];
        ctx.push = (start, end) => {
            spans.push(start, end);
            budget--;
        };
        for (let i = 0; i < IMPLS.length; i++) {
            if ((bits & (1 << i)) === 0) continue;
            const [id, impl] = IMPLS[i];
            if (disabled && disabled.has(id)) continue;
            budget = MAX_HITS_PER_DETECTOR;
            impl(ctx);
            if (spans.length === 0) continue;
            const label = LABELS.get(id)!;
            for (const [start, end] of mergeSpans(spans)) out.push({ detector: id, label, start, end });
            spans = [];
        }
    }
    if (opts.extra && opts.extra.length > 0) {
        const input = s.length > EXTRA_PATTERN_MAX_INPUT ? s.slice(0, EXTRA_PATTERN_MAX_INPUT) : s;
        for (const { id, re } of opts.extra) {
            if (disabled && disabled.has(id)) continue;
            const g = re.global ? re : new RegExp(re.source, re.flags + "g");
            budget = MAX_HITS_PER_DETECTOR;
            each(g, input, 0, (m) => {
                if (m[0].length === 0) return;
                out.push({ detector: id, label: `custom pattern ${id}`, start: m.index, end: m.index + m[0].length });
                budget--;
            });
        }
    }
    if (out.length > 1) out.sort((a, b) => a.start - b.start || a.end - b.end);
    return out;
}

// ---------------------------------------------------------------------------------------------------------------
// User-supplied extra patterns

const MAX_PATTERN_LENGTH = 1000;
const BUILTIN_IDS = new Set(FORMAT_DETECTORS.map((d) => d.id));

/**
 * A cheap static check for catastrophic backtracking: a quantified group that itself contains a quantifier
 * (`(a+)+`, `(\w*x)*`, `(a{1,9}){2,}`), an unbounded quantified group with alternation (`(a|ab)*`), or a
 * backreference. Returns a reason, or undefined when the pattern looks safe.
 */
export function backtrackingRisk(src: string): string | undefined {
    if (/\\[1-9]|\\k</.test(src)) return "uses a backreference";
    // Walk the pattern, tracking for each open group whether it contains a quantifier / alternation.
    const stack: { quant: boolean; alt: boolean }[] = [];
    let inClass = false;
    let lastGroup: { quant: boolean; alt: boolean } | undefined;
    for (let i = 0; i < src.length; i++) {
        const ch = src[i];
        if (ch === "\\") {
            i++;
            lastGroup = undefined;
            continue;
        }
        if (inClass) {
            if (ch === "]") inClass = false;
            continue;
        }
        if (ch === "[") {
            inClass = true;
            lastGroup = undefined;
            continue;
        }
        if (ch === "(") {
            stack.push({ quant: false, alt: false });
            lastGroup = undefined;
            continue;
        }
        if (ch === ")") {
            const g = stack.pop() ?? { quant: false, alt: false };
            lastGroup = g;
            // A group inherits its children's quantifiers for the enclosing group's check.
            if (stack.length > 0) {
                const parent = stack[stack.length - 1];
                parent.quant = parent.quant || g.quant;
            }
            continue;
        }
        const isQuant = ch === "*" || ch === "+" || ch === "?" || (ch === "{" && /^\{\d+(,\d*)?\}/.test(src.slice(i, i + 12)));
        if (isQuant) {
            let unbounded = ch === "*" || ch === "+";
            let repeats = ch !== "?";
            if (ch === "{") {
                const q = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(i, i + 24))!;
                unbounded = q[2] !== undefined && q[3] === "";
                repeats = unbounded || Number(q[3] ?? q[1]) > 1;
                i += q[0].length - 1;
            }
            if (lastGroup && repeats) {
                if (lastGroup.quant) return "has a nested quantifier";
                if (lastGroup.alt && unbounded) return "has alternation under an unbounded quantifier";
            }
            if (repeats && stack.length > 0) stack[stack.length - 1].quant = true;
            if (src[i + 1] === "?" || src[i + 1] === "+") i++; // lazy / possessive-looking suffix
            lastGroup = undefined;
            continue;
        }
        if (ch === "|" && stack.length > 0) stack[stack.length - 1].alt = true;
        lastGroup = undefined;
    }
    return undefined;
}

/** Probe budget per input: a linear pattern takes well under a millisecond on these lengths. */
const PROBE_LENGTHS = [256, 4096];
const PROBE_BUDGET_MS = 8;

/**
 * A run-time check behind the static one: times the pattern on inputs made of its own literal characters (the
 * near-miss runs that make `a.*b.*c` quadratic). Lengths grow, so a super-linear pattern is caught on a short input
 * before it can take long.
 */
function slowOnProbes(re: RegExp, src: string): string | undefined {
    const chars = new Set<string>();
    for (let i = 0; i < src.length && chars.size < 10; i++) {
        let ch = src[i];
        if (ch === "\\") {
            const n = src[++i] ?? "";
            ch = n === "d" ? "0" : n === "w" ? "a" : n === "s" ? " " : /[A-Za-z]/.test(n) ? "" : n;
        } else if (ch === ".") ch = "a";
        else if ("()[]{}*+?|^$".includes(ch)) ch = "";
        if (ch) chars.add(ch);
    }
    if (chars.size === 0) chars.add("a");
    const units = [...chars, [...chars].join("")];
    for (const len of PROBE_LENGTHS) {
        for (const u of units) {
            const probe = u.repeat(Math.ceil(len / u.length)).slice(0, len);
            const t0 = process.hrtime.bigint();
            re.lastIndex = 0;
            let n = 0;
            while (re.exec(probe) !== null && n++ < 10000) {
                if (re.lastIndex === 0) break;
            }
            re.lastIndex = 0;
            if (Number(process.hrtime.bigint() - t0) / 1e6 > PROBE_BUDGET_MS) return "too slow on a near-miss input";
        }
    }
    return undefined;
}

/** Compiles user patterns. Errors name the pattern id only: never the pattern's test text or any scanned value. */
export function compileExtraPatterns(p: ExtraPattern[]): { compiled: { id: string; re: RegExp }[]; errors: string[] } {
    const compiled: { id: string; re: RegExp }[] = [];
    const errors: string[] = [];
    const seen = new Set<string>();
    for (const [i, e] of (p ?? []).entries()) {
        const id = typeof e?.id === "string" && e.id.length > 0 ? e.id : `#${i}`;
        if (typeof e?.id !== "string" || !/^[a-z0-9][a-z0-9-]{0,62}$/.test(e.id)) {
            errors.push(`extra pattern ${id}: id must be kebab-case (a-z, 0-9, -)`);
            continue;
        }
        if (BUILTIN_IDS.has(id) || seen.has(id)) {
            errors.push(`extra pattern ${id}: id is already used`);
            continue;
        }
        if (typeof e.pattern !== "string" || e.pattern.length === 0) {
            errors.push(`extra pattern ${id}: pattern must be a non-empty string`);
            continue;
        }
        if (e.pattern.length > MAX_PATTERN_LENGTH) {
            errors.push(`extra pattern ${id}: pattern is longer than ${MAX_PATTERN_LENGTH} characters`);
            continue;
        }
        let re: RegExp;
        try {
            re = new RegExp(e.pattern, "g");
        } catch {
            errors.push(`extra pattern ${id}: not a valid regular expression`);
            continue;
        }
        if (re.test("")) {
            errors.push(`extra pattern ${id}: matches the empty string`);
            continue;
        }
        const risk = backtrackingRisk(e.pattern) ?? slowOnProbes(re, e.pattern);
        if (risk) {
            errors.push(`extra pattern ${id}: rejected, ${risk} (catastrophic backtracking risk)`);
            continue;
        }
        seen.add(id);
        compiled.push({ id, re });
    }
    return { compiled, errors };
}
