// Fake, format-correct secrets for tests, generated at run time, and the leak assertion every test uses.
import * as assert from "assert";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

export function randomFrom(alphabet: string, n: number): string {
    const bytes = crypto.randomBytes(n);
    let out = "";
    for (let i = 0; i < n; i++) out += alphabet[bytes[i] % alphabet.length];
    return out;
}

const HEX = "0123456789abcdef";

/** Like randomFrom, but holds upper case, lower case and digits when the alphabet has them (n >= 12), as real keys do. */
function mixedFrom(alphabet: string, n: number): string {
    const classes = ["ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz", "0123456789"].filter((c) => [...c].some((x) => alphabet.includes(x)));
    for (;;) {
        const s = randomFrom(alphabet, n);
        if (n < 12 || classes.every((c) => [...s].some((x) => c.includes(x)))) return s;
    }
}

export const fake = {
    openai: () => `sk-proj-${randomFrom(ALNUM, 48)}`,
    anthropic: () => `sk-ant-api03-${randomFrom(ALNUM + "-_", 93)}AA`,
    vaultToken: () => `hvs.${randomFrom(ALNUM, 90)}`,
    awsAccessKeyId: () => `AKIA${randomFrom("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)}`,
    githubPat: () => `ghp_${randomFrom(ALNUM, 36)}`,
    huggingFace: () => `hf_${randomFrom(ALNUM, 34)}`,
    password: () => `Pw-${randomFrom(ALNUM, 20)}`,
    awsSecretAccessKey: () => mixedFrom(ALNUM + "/+", 40),
    /** Pulumi access token: `pul-` + 40 hex. */
    pulumiToken: () => `pul-${randomFrom(HEX, 40)}`,
    /** npm token: `npm_` + 36 alphanumerics. */
    npmToken: () => `npm_${mixedFrom(ALNUM, 36)}`,
    /** Replicate token: `r8_` + 37 alphanumerics. */
    replicateToken: () => `r8_${mixedFrom(ALNUM, 37)}`,
    /** Azure AD (Entra ID) client secret: 3 characters, a digit, `Q~`, 34 of [A-Za-z0-9_~.-]. */
    azureAdClientSecret: () => `${mixedFrom(ALNUM, 3)}${randomFrom("0123456789", 1)}Q~${mixedFrom(ALNUM + "_~.-", 34)}`,
    /** Weights & Biases API key: 40 hex (no prefix: only its context says what it is). */
    wandbKey: () => randomFrom(HEX, 40),
    /** An API key with no recognisable format (Cohere-like): 40 alphanumerics. */
    opaqueApiKey: () => mixedFrom(ALNUM, 40),
    /** A Google OAuth access token (`ya29.` + base64url). */
    gcpAccessToken: () => `ya29.${mixedFrom(ALNUM + "-_", 120)}`,
};

/**
 * Hashes, not output of a secret: lower-case SHA-256 digests (64 hex characters on their own) and the checker's
 * finding fingerprints (the 32-hex value of a JSON `fingerprint` key, checker/fingerprint.ts; SARIF
 * `partialFingerprints` hold them too). A hex-bodied fake (`pul-` + 40 hex, `dapi` + 32 hex) shares some 5-character
 * slice with a report's hundred fingerprints by chance (about one run in ten), so they are blanked before the search.
 * Only fingerprint values are blanked, never any 32-hex run: a leaked `dapi` body would be one.
 */
const DIGEST_RE = /(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])|(?<="(?:fingerprint|mlSecretsGuardFinding\/v1)":\s{0,4}")[0-9a-f]{32}(?=")/g;

/**
 * The first `n`-character slice of `secret` found in `text`, as an offset (never the slice itself), or -1. Slices
 * made only of digits are not searched: a hex-bodied fake has a few, and output is full of numbers (timings, line
 * numbers, counts) that match one by chance now and then. A leak still shows through its slices that hold a letter.
 */
export function leakOffset(text: string, secret: string, n = 5): number {
    const searched = text.replace(DIGEST_RE, " ");
    for (let i = 0; i + n <= secret.length; i++) {
        const slice = secret.slice(i, i + n);
        if (/^[0-9]+$/.test(slice)) continue;
        if (searched.includes(slice)) return i;
    }
    return -1;
}

/** Fails when `text` contains any `n`-character slice of `secret` (the redaction promise: at most 4 shown); see leakOffset. */
export function assertNoLeak(text: string, secret: string, n = 5): void {
    const i = leakOffset(text, secret, n);
    if (i !== -1) assert.fail(`output contains a ${n}-character slice of a planted secret (offset ${i}, length ${secret.length})`);
}

/**
 * Writes fake values for a fixture program (test/fixtures/planted.ts reads them) and returns the environment that
 * points the program at them. The values travel in a file, not in environment variables: the pack treats a value
 * equal to an environment variable's value as coming from the environment.
 */
export function plantedEnv(values: Record<string, string>): Record<string, string> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mlsg-planted-"));
    const file = path.join(dir, "planted.json");
    fs.writeFileSync(file, JSON.stringify(values), { mode: 0o600 });
    return { MLSG_PLANTED_FILE: file };
}
