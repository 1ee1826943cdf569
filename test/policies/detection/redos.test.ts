// ReDoS: every detector on adversarial 1 MB inputs (long runs of near-matches for its anchors). A call over 50 ms
// fails. Each call runs twice and the faster run counts, to keep GC pauses out of the measurement.
import * as assert from "assert";
import { FORMAT_DETECTORS, findCredentialFormats, isPlaceholder, isReference, redact } from "../../../policies/detection";

const MB = 1024 * 1024;
const LIMIT_MS = 50;

function fill(unit: string, prefix = "", suffix = ""): string {
    const n = Math.ceil((MB - prefix.length - suffix.length) / unit.length);
    return prefix + unit.repeat(Math.max(0, n)) + suffix;
}

/** Adversarial 1 MB inputs, by name. */
const INPUTS: [string, string][] = [
    ["AKIA repeated", fill("AKIA")],
    ["AKIA + base32 run", fill("A", "AKIA")],
    ["ASIA ids separated by spaces", fill("ASIAABCDEFGHIJKLMNOP ")],
    ["AKIA id then 1MB base64", fill("A", "AKIAABCDEFGHIJKLMNOP ")],
    ["AKIA ids each followed by 39 base64", fill("AKIAABCDEFGHIJKLMN23 " + "aB3".repeat(13) + " ")],
    ["secret_access_key= repeated", fill("aws_secret_access_key=")],
    ["secretAccessKey: + base64 run", fill("aB+", "secretAccessKey: ")],
    ["AIza repeated", fill("AIza")],
    ["AIza + run", fill("a", "AIza")],
    ["service_account + private_key repeated", fill('"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----')],
    ["AccountKey= repeated", fill("AccountKey=")],
    ["AccountKey= + base64 run", fill("A", "AccountKey=")],
    ["SharedAccessKey= + run", fill("A", "SharedAccessKey=")],
    ["SharedAccessSignature=sig= repeated", fill("SharedAccessSignature=sig=")],
    ["sv= &sig= repeated", fill("?sv=2020-01-01&sig=")],
    ["hvs. repeated", fill("hvs.")],
    ["hvs. + run", fill("a", "hvs.")],
    ["token=s. repeated", fill("token=s.")],
    ["s. repeated", fill("s.")],
    ["sk- + a run", fill("a", "sk-")],
    ["sk- repeated", fill("sk-")],
    ["sk-proj- + mixed run", fill("aB3-", "sk-proj-")],
    ["sk-ant-api03- repeated", fill("sk-ant-api03-")],
    ["hf_ repeated", fill("hf_")],
    ["hf_ + run", fill("aB3", "hf_")],
    ["ghp_ repeated", fill("ghp_")],
    ["github_pat_ + run", fill("a_", "github_pat_")],
    ["glpat- + run", fill("a.", "glpat-")],
    ["xoxb- + digits", fill("1-", "xoxb-")],
    ["xox repeated", fill("xoxb-1")],
    ["hooks.slack.com repeated", fill("https://hooks.slack.com/services/T0123456/")],
    ["sk_live_ repeated", fill("sk_live_")],
    ["whsec_ + run", fill("a", "whsec_")],
    ["dapi + hex", fill("a", "dapi")],
    ["dapi repeated", fill("dapi0")],
    ["-----BEGIN repeated", fill("-----BEGIN ")],
    ["BEGIN PRIVATE KEY headers, no END", fill("-----BEGIN PRIVATE KEY-----")],
    ["BEGIN header + body, no END", fill("A", "-----BEGIN PRIVATE KEY-----\n")],
    ["BEGIN + long word run", fill("ABCDEFGHIJ ", "-----BEGIN ")],
    ["eyJ + base64url with dots", fill("eyJhbGciOi.Jz")],
    ["eyJ repeated", fill("eyJ")],
    ["eyJ + run, no dots", fill("a", "eyJ")],
    [".eyJ segments", fill(".eyJaaaaa")],
    ["valid-looking JWT headers repeated", fill("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0. ")],
    [":// + colons", fill(":", "://")],
    ["a:// repeated", fill("a://")],
    ["http://u: + run", fill("b", "http://u:")],
    ["scheme://user:pw repeated without @", fill("http://u:p/")],
    ["password= repeated", fill("password=")],
    ["Server=; Password=a; repeated", fill("Password=a;", "Server=x;")],
    ["pwd= + run", fill("a", "Server=x;pwd=")],
    ["pul- + hex run", fill("a", "pul-")],
    ["pul- repeated", fill("pul-0")],
    ["npm_ + run", fill("aB3", "npm_")],
    ["r8_ repeated", fill("r8_")],
    ["Q~ bodies repeated", fill("abc1Q~")],
    ["Q~ + run", fill("a.", "abc1Q~")],
    ["_KEY= repeated", fill("A_KEY=")],
    ["long upper name, no suffix", fill("A_")],
    ["names ending _TOKEN, no separator", fill("MY_TOKEN ")],
    ["NAME= + 1 MB value", fill("a1", "OPENAI_API_KEY=")],
    ["ENV NAME lines", fill("ENV X_TOKEN aB3dE5fG7h\n")],
    ["NAME=$VAR repeated", fill("DB_PASSWORD=$DB_PASSWORD ")],
    ["assignments of URLs repeated", fill("API_KEY=https://vault.internal/v1/x ")],
    ["deep brackets", fill("{[")],
    ["quotes and backslashes", fill('\\"')],
    ["all anchors interleaved", fill("AKIA sk- hf_ ghp_ eyJ -----BEGIN :// password= AccountKey= hvs. s. dapi xoxb- AIza pul- npm_ r8_ a1Q~ X_KEY= ")],
];

function timeMs(fn: () => void): number {
    let best = Infinity;
    for (let i = 0; i < 2; i++) {
        const t0 = process.hrtime.bigint();
        fn();
        best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
    }
    return best;
}

describe("detection: ReDoS safety (1 MB adversarial inputs, 50 ms per call)", () => {
    const ids = FORMAT_DETECTORS.map((d) => d.id);

    it("inputs are 1 MB", () => {
        for (const [name, s] of INPUTS) assert.ok(s.length >= MB && s.length < MB + 200, name);
    });

    for (const id of ids) {
        it(`${id}: every adversarial input`, () => {
            const disabled = new Set(ids.filter((x) => x !== id));
            for (const [name, s] of INPUTS) {
                const ms = timeMs(() => findCredentialFormats(s, { disabled }));
                assert.ok(ms <= LIMIT_MS, `${id} on "${name}": ${ms.toFixed(1)} ms`);
            }
        });
    }

    it("all detectors together stay linear on every adversarial input", () => {
        // Not the per-detector limit: the sum of all detectors, each bounded. Guards against quadratic blow-ups.
        for (const [name, s] of INPUTS) {
            const ms = timeMs(() => findCredentialFormats(s));
            assert.ok(ms <= LIMIT_MS * 4, `all detectors on "${name}": ${ms.toFixed(1)} ms`);
        }
    });

    it("isReference, isPlaceholder and redact are fast on every adversarial input", () => {
        for (const [name, s] of INPUTS) {
            const ms = timeMs(() => {
                isReference(s);
                isPlaceholder(s);
                redact(s);
            });
            assert.ok(ms <= LIMIT_MS, `helpers on "${name}": ${ms.toFixed(1)} ms`);
        }
    });
});
