// `ml-secrets-guard check --state`: exported stacks (`pulumi stack export`, with and without --show-secrets) through
// the real pack, as a child process. Unit tests of the export reader (checker/state.ts) come first.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseStateExport, readStateConfig, stateValueToWire, StateError } from "../../checker/state";
import { repoRoot, runCheck, RunCheckResult } from "../helpers/check";
import { assertNoLeak, fake } from "../helpers/secrets";

const root = repoRoot();
const STATE = path.join(root, "test", "fixtures", "state");
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
// eslint-disable-next-line @typescript-eslint/no-var-requires
const yaml = require(require.resolve("js-yaml", { paths: [path.dirname(require.resolve("@pulumi/pulumi/package.json"))] }));

/** `check --state FILE ...` through the built CLI (runCheck passes its first argument where a program dir goes). */
function checkState(file: string, args: string[] = [], secrets: Record<string, string> = {}): Promise<RunCheckResult> {
    // runCheck runs `cli.js check <first argument> --format json <extraArgs>`: here `check --state=FILE ...`.
    const extra = [...args];
    for (const [k, v] of Object.entries(secrets)) extra.push("--secret", `${k}=${v}`);
    return runCheck(`--state=${file}`, { extraArgs: extra, timeoutMs: 120000 });
}

/** policy, level and the resource's name, sorted: the comparison the as-written tests make. */
function summary(r: RunCheckResult): string[] {
    assert.ok(r.report, `a JSON report (exit ${r.exitCode}): ${r.stderr.slice(0, 2000)}`);
    return r.report!.diagnostics.map((d) => `${d.policyName} ${d.enforcementLevel} ${(d.urn ?? "").split("::").pop()}`).sort();
}

const export3 = (resources: unknown[]) => JSON.stringify({ version: 3, deployment: { manifest: {}, resources } });
const NO_CONFIG = { values: {}, secretKeys: [] };

describe("state: reading a stack export", () => {
    it("turns --show-secrets plaintext back into a secret and ciphertext into a secret unknown", () => {
        assert.deepStrictEqual(stateValueToWire({ [SIG]: SECRET, plaintext: JSON.stringify({ a: [1, "x"] }) }),
            { [SIG]: SECRET, value: { a: [1, "x"] } });
        assert.deepStrictEqual(stateValueToWire({ [SIG]: SECRET, ciphertext: "v1:bm9uY2U=:Ym9keQ==" }),
            { [SIG]: SECRET, value: UNKNOWN });
        assert.deepStrictEqual(stateValueToWire({ nested: [{ [SIG]: SECRET, ciphertext: "v1:x:y" }] }),
            { nested: [{ [SIG]: SECRET, value: UNKNOWN }] });
        const ref = { [SIG]: "5cf8f73096256a8f31e491e813e4eb8e", urn: "urn:pulumi:dev::p::t:m:T::r", id: "i-1" };
        assert.deepStrictEqual(stateValueToWire(ref), ref, "resource references are already in wire form");
    });

    it("skips resources pending deletion, puts the root stack first, marks external reads, keeps names with ::", () => {
        const run = parseStateExport(export3([
            { urn: "urn:pulumi:prod::proj::aws:s3/bucket:Bucket::old", type: "aws:s3/bucket:Bucket", custom: true, delete: true },
            { urn: "urn:pulumi:prod::proj::aws:s3/bucket:Bucket::a::b", type: "aws:s3/bucket:Bucket", custom: true, id: "b1" },
            { urn: "urn:pulumi:prod::proj::pulumi:pulumi:Stack::proj-prod", type: "pulumi:pulumi:Stack", outputs: { x: 1 } },
            { urn: "urn:pulumi:prod::proj::aws:iam/role:Role::ext", type: "aws:iam/role:Role", custom: true, external: true },
        ]), NO_CONFIG);
        assert.deepStrictEqual(run.resources.map((r) => r.name), ["proj-prod", "a::b", "ext"]);
        assert.strictEqual(run.project, "proj");
        assert.strictEqual(run.stack, "prod");
        assert.strictEqual(run.dryRun, false);
        assert.deepStrictEqual(run.stackOutputs, { x: 1 });
        assert.strictEqual(run.resources[2].read, true);
        assert.strictEqual(run.resources[1].read, undefined);
    });

    it("keeps only non-empty property dependencies", () => {
        const dep = "urn:pulumi:dev::p::aws:kms/key:Key::k";
        const run = parseStateExport(export3([
            { urn: "urn:pulumi:dev::p::aws:s3/bucket:Bucket::b", type: "aws:s3/bucket:Bucket", custom: true,
                propertyDependencies: { a: [], kmsKeyId: [dep] }, dependencies: [dep] },
        ]), NO_CONFIG);
        assert.deepStrictEqual(run.resources[0].propertyDependencies, { kmsKeyId: [dep] });
        assert.deepStrictEqual(run.resources[0].dependencies, [dep]);
    });

    const planted = "sk-proj-" + "Q".repeat(48);
    const bad: Array<[string, string, RegExp]> = [
        ["invalid JSON", `{"version": 3, "deployment": {"resources": [${planted}`, /is not valid JSON/],
        ["a JSON array", `["${planted}"]`, /is not a stack export/],
        ["version 2", JSON.stringify({ version: 2, deployment: { resources: [], note: planted } }), /deployment version 2; versions 3 and 4/],
        ["version missing", JSON.stringify({ deployment: { resources: [] }, note: planted }), /deployment version missing/],
        ["version as a string", JSON.stringify({ version: planted, deployment: {} }), /deployment version a string/],
        ["no deployment", JSON.stringify({ version: 3, note: planted }), /no deployment object/],
        ["resources an object", JSON.stringify({ version: 4, deployment: { resources: { planted } } }), /deployment.resources must be an array/],
        ["a resource without a URN", export3([{ type: planted }]), /resources\[0\] has no valid urn and type/],
        ["inputs not an object", export3([{ urn: "urn:pulumi:d::p::t:m:T::n", type: "t:m:T", inputs: [planted] }]), /resources\[0\].inputs must be an object/],
        ["undecodable plaintext", export3([{ urn: "urn:pulumi:d::p::t:m:T::n", type: "t:m:T", inputs: { k: { [SIG]: SECRET, plaintext: planted } } }]),
            /plaintext in the state file is not valid JSON/],
    ];
    for (const [what, text, message] of bad) {
        it(`rejects ${what} with a message that names the file and quotes nothing`, () => {
            assert.throws(() => parseStateExport(text, NO_CONFIG, "state file x.json"), (e: unknown) => {
                assert.ok(e instanceof StateError, String(e));
                assert.match(e.message, message);
                assertNoLeak(e.message, planted);
                if (!/plaintext/.test(what) && !/undecodable/.test(what)) assert.match(e.message, /x\.json/);
                return true;
            });
        });
    }

    it("config: secure keys are secret with no value, --secret supplies one, --config makes a key plain", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "msg-state-"));
        try {
            const file = path.join(dir, "Pulumi.dev.yaml");
            fs.writeFileSync(file, [
                "config:",
                "  region: eu-west-1",
                "  aws:region: eu-west-1",
                "  token:",
                "    secure: v1:ZmFrZQ==:ZmFrZQ==",
                "  db:",
                "    host: db.internal",
                "    password:",
                "      secure: v1:ZmFrZQ==:ZmFrZQ==",
                "  apiKey:",
                "    secure: v1:ZmFrZQ==:ZmFrZQ==",
                "  count: 3",
            ].join("\n"));
            const supplied = fake.openai();
            const c = readStateConfig({ project: "proj", configFile: file, yaml, secrets: [["apiKey", supplied]], config: [["count", "4"]] });
            assert.deepStrictEqual(c.values, {
                "proj:region": "eu-west-1", "aws:region": "eu-west-1", "proj:apiKey": supplied, "proj:count": "4",
            });
            assert.deepStrictEqual(c.secretKeys, ["proj:apiKey", "proj:db", "proj:token"]);
            assert.strictEqual(c.notes.length, 1);
            assert.match(c.notes[0], /proj:db, proj:token/);
            assert.doesNotMatch(c.notes[0], /apiKey/);
            assertNoLeak(c.notes.join("\n"), supplied);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("config: an unreadable or invalid config file is an error naming the file, not its content", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "msg-state-"));
        try {
            const planted = fake.githubPat();
            const file = path.join(dir, "Pulumi.bad.yaml");
            fs.writeFileSync(file, `config:\n  a: [${planted}\n  b: {`);
            assert.throws(() => readStateConfig({ project: "p", configFile: file, yaml }), (e: unknown) => {
                assert.ok(e instanceof StateError);
                assert.match(e.message, /Pulumi\.bad\.yaml is not valid YAML/);
                assertNoLeak(e.message, planted);
                return true;
            });
            assert.throws(() => readStateConfig({ project: "p", configFile: path.join(dir, "missing.yaml"), yaml }),
                /cannot read config file .*missing\.yaml: ENOENT/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("check --state: exported stacks through the real pack", function () {
    this.timeout(180000);

    it("seed 003 as the Python program deploys it (--show-secrets): the findings of the TypeScript as-written fixture", async () => {
        const [state, program] = await Promise.all([
            checkState(path.join(STATE, "seed-003-python.show-secrets.json")),
            runCheck(path.join(root, "test", "fixtures", "as-written", "003"), { mode: "update" }),
        ]);
        assert.strictEqual(program.exitCode, 1, program.stderr.slice(0, 2000));
        assert.strictEqual(state.exitCode, 1, state.stderr.slice(0, 2000));
        assert.deepStrictEqual(summary(state), summary(program));
        assert.deepStrictEqual(summary(state), [
            "no-hardcoded-secrets mandatory apiKeySecret",
            "no-hardcoded-secrets mandatory vault",
            "vault-provider-tls advisory vault",
        ]);
        assert.strictEqual(state.report!.mode, "update");
        assert.strictEqual(state.report!.project, "seed-003-py");
        assert.strictEqual(state.report!.resources[0].type, "pulumi:pulumi:Stack");
    });

    it("seed 003 encrypted: the secret token and data_json cannot be read, so only the plain-http address remains", async () => {
        const r = await checkState(path.join(STATE, "seed-003-python.json"));
        assert.strictEqual(r.exitCode, 0, r.stderr.slice(0, 2000));
        assert.deepStrictEqual(summary(r), ["vault-provider-tls advisory vault"]);
        const d = r.report!.diagnostics[0];
        assert.strictEqual(d.urn, "urn:pulumi:dev::seed-003-py::pulumi:providers:vault::vault");
        assert.match(d.message, /property address/);
        assert.strictEqual(r.report!.resources.length, 5);
    });

    it("a clean export (reference stack vault-kv-azure-ml) has zero findings; its deleted resource is not analyzed", async () => {
        const r = await checkState(path.join(STATE, "clean-vault-kv-azure-ml.json"),
            ["--config-file", path.join(STATE, "Pulumi.dev.yaml")]);
        assert.strictEqual(r.exitCode, 0, r.stderr.slice(0, 2000));
        assert.deepStrictEqual(summary(r), []);
        assert.strictEqual(r.report!.resources.length, 8);
        assert.ok(!r.report!.resources.some((x) => x.name === "old-api-key"), "delete: true resources are skipped");
        assert.match(r.stderr, /secret keys with unknown values: ml-vault-kv-azure:apiKey, ml-vault-kv-azure:vaultToken/);
    });

    describe("the clean export with --show-secrets (values planted at run time)", () => {
        let dir = "";
        let file = "";
        const token = fake.vaultToken();
        const apiKey = fake.openai();
        before(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "msg-state-"));
            file = path.join(dir, "export.json");
            const doc = JSON.parse(fs.readFileSync(path.join(STATE, "clean-vault-kv-azure-ml.json"), "utf8"));
            const plain = (v: unknown) => ({ [SIG]: SECRET, plaintext: JSON.stringify(v) });
            for (const r of doc.deployment.resources) {
                if (r.type === "pulumi:providers:vault") r.inputs.token = r.outputs.token = plain(token);
                if (r.type === "vault:kv/secretV2:SecretV2") {
                    r.inputs.dataJson = r.outputs.dataJson = plain(JSON.stringify({ api_key: apiKey }));
                    r.outputs.data = plain({ api_key: apiKey });
                }
            }
            fs.writeFileSync(file, JSON.stringify(doc, null, 2));
        });
        after(() => fs.rmSync(dir, { recursive: true, force: true }));

        it("values from secret config look hard-coded while their config values are unknown", async () => {
            const r = await checkState(file, ["--config-file", path.join(STATE, "Pulumi.dev.yaml")]);
            assert.strictEqual(r.exitCode, 1, r.stderr.slice(0, 2000));
            assert.deepStrictEqual(summary(r), ["no-hardcoded-secrets mandatory apiKeySecret", "no-hardcoded-secrets mandatory vault"]);
            assertNoLeak(r.stdout + r.stderr, token);
            assertNoLeak(r.stdout + r.stderr, apiKey);
        });

        it("--secret supplies the config values: provenance explains them and the export is clean", async () => {
            const r = await checkState(file, ["--config-file", path.join(STATE, "Pulumi.dev.yaml")],
                { vaultToken: token, apiKey });
            assert.strictEqual(r.exitCode, 0, r.stderr.slice(0, 2000));
            assert.deepStrictEqual(summary(r), []);
            assert.doesNotMatch(r.stderr, /unknown values/);
            assertNoLeak(r.stdout + r.stderr, token);
            assertNoLeak(r.stdout + r.stderr, apiKey);
        });

        it("the same values in plaintext in --config-file: no-plaintext-secret-config names each key and where it is used", async () => {
            // Pulumi.dev.yaml as `pulumi config set` without --secret writes it: the secure: entries become plaintext.
            const text = fs.readFileSync(path.join(STATE, "Pulumi.dev.yaml"), "utf8")
                .replace(/(ml-vault-kv-azure:vaultToken:)\s*\n\s*secure: \S+/, `$1 ${token}`)
                .replace(/(ml-vault-kv-azure:apiKey:)\s*\n\s*secure: \S+/, `$1 ${apiKey}`);
            assert.doesNotMatch(text, /^\s+secure:/m, "both secure entries replaced");
            const configFile = path.join(dir, "Pulumi.dev.yaml");
            fs.writeFileSync(configFile, text);
            const r = await checkState(file, ["--config-file", configFile]);
            assert.strictEqual(r.exitCode, 1, r.stderr.slice(0, 2000));
            // One finding per key on the root stack (before anything changes), one per key where it is used;
            // no-hardcoded-secrets does not report the values again.
            assert.deepStrictEqual(summary(r), [
                "no-plaintext-secret-config mandatory apiKeySecret",
                "no-plaintext-secret-config mandatory ml-vault-kv-azure-dev",
                "no-plaintext-secret-config mandatory ml-vault-kv-azure-dev",
                "no-plaintext-secret-config mandatory vault",
            ]);
            const text2 = r.report!.diagnostics.map((d) => d.message).join("\n");
            assert.match(text2, /stack config 'vaultToken' is a secret in plaintext/);
            assert.match(text2, /stack config 'apiKey' is a secret in plaintext/);
            assert.match(text2, /property token takes stack config 'vaultToken'/);
            assert.match(text2, /property dataJson\{json\}\.api_key takes stack config 'apiKey'/);
            assert.match(text2, /pulumi config set --secret vaultToken "\$\(pulumi config get vaultToken\)"/);
            assert.doesNotMatch(r.stderr, /unknown values/);
            assertNoLeak(r.stdout + r.stderr, token);
            assertNoLeak(r.stdout + r.stderr, apiKey);
        });
    });

    describe("bad input: exit 2, a message naming the file, no content echoed", () => {
        let dir = "";
        const planted = fake.huggingFace();
        before(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "msg-state-"));
        });
        after(() => fs.rmSync(dir, { recursive: true, force: true }));
        const cases: Array<[string, string, RegExp]> = [
            ["invalid JSON", `{"version": 3, "deployment": {"resources": [{"urn": "${planted}"`, /is not valid JSON/],
            ["wrong version", JSON.stringify({ version: 5, deployment: { resources: [], secret: planted } }), /deployment version 5; versions 3 and 4 are supported/],
            ["resources not an array", JSON.stringify({ version: 3, deployment: { resources: planted } }), /deployment\.resources must be an array/],
        ];
        for (const [what, text, message] of cases) {
            it(what, async () => {
                const file = path.join(dir, `${what.replace(/\W+/g, "-")}.json`);
                fs.writeFileSync(file, text);
                const r = await checkState(file);
                assert.strictEqual(r.exitCode, 2, r.stderr);
                assert.strictEqual(r.stdout, "");
                assert.match(r.stderr, message);
                assert.ok(r.stderr.includes(file), "the message names the file");
                assert.doesNotMatch(r.stderr, /internal error/);
                assertNoLeak(r.stderr, planted);
            });
        }

        it("a missing file, and usage errors (program dir, --stack, --mode with --state)", async () => {
            const missing = await checkState(path.join(dir, "nope.json"));
            assert.strictEqual(missing.exitCode, 2);
            assert.match(missing.stderr, /cannot read state file .*nope\.json: ENOENT/);
            const good = path.join(STATE, "seed-003-python.json");
            for (const [args, message] of [
                [["--stack", "dev"], /--stack cannot be used with --state/],
                [["--mode", "preview"], /--mode cannot be used with --state/],
                [[path.join(root, "test", "fixtures", "as-written", "003")], /takes no program directory/],
            ] as Array<[string[], RegExp]>) {
                const r = await checkState(good, args);
                assert.strictEqual(r.exitCode, 2, `${args.join(" ")}: ${r.stderr}`);
                assert.match(r.stderr, message);
            }
        });
    });
});
