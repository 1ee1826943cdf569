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

export const fake = {
    openai: () => `sk-proj-${randomFrom(ALNUM, 48)}`,
    anthropic: () => `sk-ant-api03-${randomFrom(ALNUM + "-_", 93)}AA`,
    vaultToken: () => `hvs.${randomFrom(ALNUM, 90)}`,
    awsAccessKeyId: () => `AKIA${randomFrom("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)}`,
    githubPat: () => `ghp_${randomFrom(ALNUM, 36)}`,
    huggingFace: () => `hf_${randomFrom(ALNUM, 34)}`,
    password: () => `Pw-${randomFrom(ALNUM, 20)}`,
};

/** Fails when `text` contains any `n`-character slice of `secret` (the redaction promise: at most 4 shown). */
export function assertNoLeak(text: string, secret: string, n = 5): void {
    for (let i = 0; i + n <= secret.length; i++) {
        const slice = secret.slice(i, i + n);
        if (text.includes(slice)) {
            assert.fail(`output contains a ${n}-character slice of a planted secret (offset ${i}, length ${secret.length})`);
        }
    }
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
