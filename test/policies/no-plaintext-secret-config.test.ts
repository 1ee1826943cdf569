// no-plaintext-secret-config end to end: one program, its secrets set in plaintext (`--config`, a plaintext `--path`
// leaf in Pulumi.plaintext.yaml) or as secrets (`--secret`, a `secure:` leaf in Pulumi.secret.yaml), through the
// offline checker and the real pack in preview and update.
import * as assert from "assert";
import * as path from "path";
import { repoRoot, runCheck, RunCheckResult } from "../helpers/check";
import { assertNoLeak, fake } from "../helpers/secrets";

const dir = path.join(repoRoot(), "test", "fixtures", "policies", "no-plaintext-secret-config");
const MODES = ["preview", "update"] as const;
const POLICY = "no-plaintext-secret-config";
/** The plaintext password leaf of Pulumi.plaintext.yaml (a plain word, committed in the fixture). */
const PATH_PASSWORD = "Feat-Store-2024!";

describe("no-plaintext-secret-config (end to end through the checker)", function () {
    this.timeout(300000);
    // Values the program reads (dbPassword, the db object's password, vault:token via the default provider) and one
    // it never reads (openaiKey).
    const secrets = { dbPassword: fake.password(), openaiKey: fake.openai(), "vault:token": fake.vaultToken() };
    // Plaintext in both runs: not secrets, although their names mention one.
    const notSecrets = { tokenEndpoint: "https://login.example.com/oauth2/v2.0/token", passwordLength: "16", secretName: "ml-api" };
    const results = new Map<string, RunCheckResult>();

    before(async () => {
        for (const mode of MODES) {
            const [plaintext, secret] = await Promise.all([
                runCheck(dir, { stack: "plaintext", mode, config: { ...secrets, ...notSecrets } }),
                runCheck(dir, { stack: "secret", mode, config: notSecrets, secrets }),
            ]);
            results.set(`plaintext-${mode}`, plaintext);
            results.set(`secret-${mode}`, secret);
        }
    });

    const where = (r: RunCheckResult) => r.report!.diagnostics.map((d) => `${d.policyName} ${d.enforcementLevel} ${d.urn!.split("::").slice(-2).join("::")}`).sort();
    const messages = (r: RunCheckResult) => r.report!.diagnostics.map((d) => d.message);

    for (const mode of MODES) {
        it(`plaintext: one finding per key on the root stack, and one where each used value goes; nothing else (${mode})`, () => {
            const r = results.get(`plaintext-${mode}`)!;
            assert.strictEqual(r.exitCode, 1, r.stderr.slice(-1500));
            const root = "pulumi:pulumi:Stack::plaintext-config-plaintext";
            assert.deepStrictEqual(where(r), [
                `${POLICY} mandatory aws:rds/instance:Instance::ml-metadata`,
                `${POLICY} mandatory ${root}`,
                `${POLICY} mandatory ${root}`,
                `${POLICY} mandatory ${root}`,
                `${POLICY} mandatory ${root}`,
                `${POLICY} mandatory pulumi:providers:vault::default_7_8_0`,
                `${POLICY} mandatory vault:kv/secretV2:SecretV2::feature-store`,
            ].sort(), "no-hardcoded-secrets does not report values from config");
            const onRoot = r.report!.diagnostics.filter((d) => d.urn!.endsWith(root)).map((d) => d.message);
            for (const key of ["dbPassword", "openaiKey", "vault:token", "db"]) {
                assert.strictEqual(onRoot.filter((m) => m.includes(`stack config '${key}' `)).length, 1, `${key}: one root finding`);
            }
        });

        it(`plaintext: the RDS password names dbPassword and the property, with the exact fix and rotation (${mode})`, () => {
            const r = results.get(`plaintext-${mode}`)!;
            const rds = r.report!.diagnostics.find((d) => d.urn!.endsWith("aws:rds/instance:Instance::ml-metadata"))!;
            assert.match(rds.message, /'ml-metadata' property password takes stack config 'dbPassword'/);
            assert.ok(rds.message.includes('`pulumi config set --secret dbPassword "$(pulumi config get dbPassword)"`'), rds.message);
            assert.match(rds.message, /rotate the value: the plaintext stays in git history/);
            const root = messages(r).find((m) => m.includes("stack config 'dbPassword' "))!;
            assert.match(root, /its name says it holds a secret and its value looks like one/);
        });

        it(`plaintext: the unused OpenAI key and vault:token are flagged by format, vault:token also on the default provider (${mode})`, () => {
            const ms = messages(r(mode));
            assert.ok(ms.some((m) => /stack config 'openaiKey' is a secret in plaintext: it matches a credential format \(openai-api-key\)/.test(m)));
            assert.ok(ms.some((m) => /stack config 'vault:token' is a secret in plaintext: it matches a credential format \(vault-token\)/.test(m) &&
                m.includes('`pulumi config set --secret vault:token "$(pulumi config get vault:token)"`')));
            assert.ok(ms.some((m) => /pulumi:providers:vault 'default_7_8_0' property token takes stack config 'vault:token'/.test(m)));
        });

        it(`plaintext: the password leaf of the structured value is named by its path, with a --path fix (${mode})`, () => {
            const ms = messages(r(mode));
            const root = ms.find((m) => m.includes("stack config 'db' "))!;
            assert.match(root, /holds a secret in plaintext at 'db\.password'/);
            assert.ok(root.includes('`pulumi config set --secret --path db.password "$(pulumi config get --path db.password)"`'), root);
            assert.ok(ms.some((m) => /'feature-store' property dataJson\{json\}\.password takes stack config 'db\.password'/.test(m)));
            // host and user are leaves of the same object, not secrets.
            assert.ok(!ms.some((m) => /db\.(host|user)/.test(m)));
        });

        it(`plaintext: tokenEndpoint, passwordLength and secretName give no finding (${mode})`, () => {
            for (const m of messages(r(mode))) assert.doesNotMatch(m, /tokenEndpoint|passwordLength|secretName/);
        });

        it(`secret: the same values set with --secret (and a secure: --path leaf) give no finding at all (${mode})`, () => {
            const s = results.get(`secret-${mode}`)!;
            assert.strictEqual(s.exitCode, 0, s.stderr.slice(-1500));
            assert.deepStrictEqual(where(s), []);
        });

        it(`no value, and no 5-character slice of one, in any output (${mode})`, () => {
            for (const which of ["plaintext", "secret"]) {
                const out = results.get(`${which}-${mode}`)!;
                for (const v of [...Object.values(secrets), PATH_PASSWORD]) {
                    assertNoLeak(out.stdout, v);
                    assertNoLeak(out.stderr, v);
                }
            }
        });
    }

    function r(mode: string): RunCheckResult {
        return results.get(`plaintext-${mode}`)!;
    }
});
