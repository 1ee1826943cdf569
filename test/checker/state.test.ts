// `ml-secrets-guard check --state`: exported stacks (`pulumi stack export`, with and without --show-secrets) through
// the real pack, as a child process. Unit tests of the export reader (checker/state.ts) come first.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import {
    parseState, ParsedState, parseStateExport, readState, readStateConfig, stateValueToWire, StateError,
} from "../../checker/state";
import { repoRoot, runCheck, RunCheckResult } from "../helpers/check";
import { assertNoLeak, fake } from "../helpers/secrets";

const root = repoRoot();
const STATE = path.join(root, "test", "fixtures", "state");
import { RESOURCE_REF_SIG, SECRET_SIG, SIG_KEY, UNKNOWN_STRING } from "../../policies/lib/wire";

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
        assert.deepStrictEqual(stateValueToWire({ [SIG_KEY]: SECRET_SIG, plaintext: JSON.stringify({ a: [1, "x"] }) }),
            { [SIG_KEY]: SECRET_SIG, value: { a: [1, "x"] } });
        assert.deepStrictEqual(stateValueToWire({ [SIG_KEY]: SECRET_SIG, ciphertext: "v1:bm9uY2U=:Ym9keQ==" }),
            { [SIG_KEY]: SECRET_SIG, value: UNKNOWN_STRING });
        assert.deepStrictEqual(stateValueToWire({ nested: [{ [SIG_KEY]: SECRET_SIG, ciphertext: "v1:x:y" }] }),
            { nested: [{ [SIG_KEY]: SECRET_SIG, value: UNKNOWN_STRING }] });
        const ref = { [SIG_KEY]: RESOURCE_REF_SIG, urn: "urn:pulumi:dev::p::t:m:T::r", id: "i-1" };
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
        ["a JSON array", `["${planted}"]`, /is not a stack state/],
        ["neither form", JSON.stringify({ version: 3, resources: [planted] }), /has neither a deployment nor a checkpoint/],
        ["version 5", JSON.stringify({ version: 5, deployment: { resources: [], note: planted } }),
            /deployment version 5; versions 1 to 4 are supported \(written by a newer Pulumi CLI/],
        ["checkpoint version 0", JSON.stringify({ version: 0, checkpoint: { latest: { resources: [] }, note: planted } }),
            /checkpoint version 0; versions 1 to 4/],
        ["checkpoint not an object", JSON.stringify({ version: 3, checkpoint: [planted] }), /checkpoint must be an object/],
        ["checkpoint without latest", JSON.stringify({ version: 3, checkpoint: { stack: planted } }),
            /checkpoint without a latest deployment: the stack has never been updated/],
        ["checkpoint with latest null", JSON.stringify({ version: 4, checkpoint: { stack: "dev", latest: null } }),
            /checkpoint without a latest deployment/],
        ["features not strings", JSON.stringify({ version: 4, features: [1], deployment: { resources: [], x: planted } }),
            /features must be an array of strings/],
        ["secrets_providers not an object", JSON.stringify({ version: 3, deployment: { secrets_providers: planted } }),
            /secrets_providers must be an object with a string type/],
        ["pending_operations not an array", JSON.stringify({ version: 3, deployment: { pending_operations: { planted } } }),
            /deployment\.pending_operations must be an array/],
        ["version missing", JSON.stringify({ deployment: { resources: [] }, note: planted }), /deployment version missing/],
        ["version as a string", JSON.stringify({ version: planted, deployment: {} }), /deployment version a string/],
        ["no deployment", JSON.stringify({ version: 3, note: planted }), /has neither a deployment nor a checkpoint/],
        ["deployment not an object", JSON.stringify({ version: 3, deployment: planted }), /no deployment object/],
        ["resources an object", JSON.stringify({ version: 4, deployment: { resources: { planted } } }), /deployment.resources must be an array/],
        ["checkpoint resources an object", JSON.stringify({ version: 1, checkpoint: { latest: { resources: { planted } } } }),
            /checkpoint\.latest\.resources must be an array/],
        ["a resource without a URN", export3([{ type: planted }]), /resources\[0\] has no valid urn and type/],
        ["inputs not an object", export3([{ urn: "urn:pulumi:d::p::t:m:T::n", type: "t:m:T", inputs: [planted] }]), /resources\[0\].inputs must be an object/],
        ["undecodable plaintext", export3([{ urn: "urn:pulumi:d::p::t:m:T::n", type: "t:m:T", inputs: { k: { [SIG_KEY]: SECRET_SIG, plaintext: planted } } }]),
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
            const c = readStateConfig({ project: "proj", configFile: file, secrets: [["apiKey", supplied]], config: [["count", "4"]] });
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
            assert.throws(() => readStateConfig({ project: "p", configFile: file }), (e: unknown) => {
                assert.ok(e instanceof StateError);
                assert.match(e.message, /Pulumi\.bad\.yaml is not valid YAML/);
                assertNoLeak(e.message, planted);
                return true;
            });
            assert.throws(() => readStateConfig({ project: "p", configFile: path.join(dir, "missing.yaml") }),
                /cannot read config file .*missing\.yaml: ENOENT/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("state: checkpoints of self-managed backends, every version the engine reads", () => {
    const read = (name: string) => parseState(fs.readFileSync(path.join(STATE, name), "utf8"), NO_CONFIG, name);
    const exported = read("seed-003-python.show-secrets.json");

    it("a v3 checkpoint ({version, checkpoint: {stack, latest}}) reads exactly as the equivalent export", () => {
        const chk = read("checkpoint-v3.json");
        assert.strictEqual(chk.form, "checkpoint");
        assert.strictEqual(exported.form, "export");
        assert.deepStrictEqual(chk.run, exported.run);
        assert.deepStrictEqual(chk.notes, []);
    });

    it("a v4 checkpoint with a known feature reads as the equivalent export, without a note", () => {
        const chk = read("checkpoint-v4.json");
        assert.strictEqual(chk.version, 4);
        assert.deepStrictEqual(chk.run, exported.run);
        assert.deepStrictEqual(chk.notes, []);
    });

    it("a v1 checkpoint is migrated as the engine does: the same as its version-3 export", () => {
        const chk = read("checkpoint-v1.json");
        const exp = read("checkpoint-v1.export.json");
        assert.strictEqual(chk.version, 1);
        assert.deepStrictEqual(chk.run, exp.run);
        const secret = chk.run.resources.find((r) => r.name === "apiKeySecret")!;
        const provider = "urn:pulumi:dev::seed-003-py::pulumi:providers:vault::vault";
        // Every input property depends on all of the resource's dependencies; `defaults` is dropped.
        assert.deepStrictEqual(Object.keys(secret.propertyDependencies).sort(), ["dataJson", "deleteAllVersions", "disableRead", "path"]);
        for (const deps of Object.values(secret.propertyDependencies)) assert.deepStrictEqual(deps, [provider]);
        assert.ok(!("defaults" in secret.inputs));
    });

    it("an unversioned checkpoint (a bare CheckpointV1) reads as version 1", () => {
        const doc = JSON.parse(fs.readFileSync(path.join(STATE, "checkpoint-v1.json"), "utf8"));
        const bare = parseState(JSON.stringify(doc.checkpoint), NO_CONFIG, "bare.json");
        assert.strictEqual(bare.version, 1);
        assert.deepStrictEqual(bare.run, read("checkpoint-v1.json").run);
    });

    it("a v2 checkpoint: ResourceV2 fields only, its pending create audited and noted", () => {
        const chk = read("checkpoint-v2.json");
        assert.strictEqual(chk.version, 2);
        const pending = chk.run.resources.find((r) => r.name === "modelRegistryCreds")!;
        assert.ok(pending, "the resource being created is audited");
        assert.deepStrictEqual(pending.inputs, { dataJson: '{"registry_password":"changeme"}', path: "secret/data/model_registry" });
        assert.deepStrictEqual(pending.options.additionalSecretOutputs, [], "a field ResourceV2 does not have is dropped");
        assert.strictEqual(chk.run.resources.find((r) => r.name === "apiKeySecret")!.provider,
            "urn:pulumi:dev::seed-003-py::pulumi:providers:vault::vault::0e4f1c2a-3b5d-4e6f-8a7b-9c0d1e2f3a4b");
        assert.strictEqual(chk.notes.length, 1);
        assert.match(chk.notes[0], /1 pending operation\(s\) \(1 creating\): an update was interrupted/);
        assert.match(chk.notes[0], /audited too: modelRegistryCreds$/);
    });

    it("pending operations on a resource already in the state: noted, not added twice", () => {
        const urn = "urn:pulumi:dev::p::aws:s3/bucket:Bucket::b";
        const r = { urn, type: "aws:s3/bucket:Bucket", custom: true, inputs: { acl: "private" } };
        const chk = parseState(JSON.stringify({ version: 3, checkpoint: { stack: "dev", latest: {
            resources: [r], pending_operations: [{ resource: { ...r, inputs: { acl: "public-read" } }, type: "updating" }],
        } } }), NO_CONFIG, "x.json");
        assert.deepStrictEqual(chk.run.resources.map((x) => x.inputs), [{ acl: "private" }]);
        assert.match(chk.notes[0], /x\.json has 1 pending operation\(s\) \(1 updating\)/);
    });

    it("secrets of any provider are secrets of unknown value: b64 ciphertext is not decoded", () => {
        const b64 = read("checkpoint-v3-b64.json");
        const pass = read("checkpoint-v3-passphrase.json");
        const token = (p: ParsedState) => p.run.resources.find((r) => r.name === "vault")!.inputs.token;
        for (const p of [b64, pass]) assert.deepStrictEqual(token(p), { [SIG_KEY]: SECRET_SIG, value: UNKNOWN_STRING });
        assert.deepStrictEqual(b64.run.resources.map((r) => r.inputs), pass.run.resources.map((r) => r.inputs));
    });

    it("unknown features: read, with a note naming them", () => {
        const doc = JSON.parse(fs.readFileSync(path.join(STATE, "checkpoint-v4.json"), "utf8"));
        doc.features = ["refreshBeforeUpdate", "someFutureFeature"];
        const chk = parseState(JSON.stringify(doc), NO_CONFIG, "f.json");
        assert.deepStrictEqual(chk.run, exported.run);
        assert.match(chk.notes.join("\n"), /f\.json uses state features this checker does not know \(someFutureFeature\)/);
    });

    it("reads a gzipped checkpoint (PULUMI_DIY_BACKEND_GZIP) and refuses zstd with a clear message", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "msg-state-"));
        try {
            const gz = path.join(dir, "dev.json.gz");
            fs.writeFileSync(gz, zlib.gzipSync(fs.readFileSync(path.join(STATE, "checkpoint-v3.json"))));
            assert.deepStrictEqual(readState(gz, NO_CONFIG).run, exported.run);
            const zst = path.join(dir, "dev.json.zst");
            fs.writeFileSync(zst, Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0]));
            assert.throws(() => readState(zst, NO_CONFIG), /dev\.json\.zst is zstd-compressed; decompress it first/);
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
            const plain = (v: unknown) => ({ [SIG_KEY]: SECRET_SIG, plaintext: JSON.stringify(v) });
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

    describe("checkpoints of self-managed backends: the findings of the equivalent export", () => {
        const SEED_003 = [
            "no-hardcoded-secrets mandatory apiKeySecret",
            "no-hardcoded-secrets mandatory vault",
            "vault-provider-tls advisory vault",
        ];

        it("v1 (and its version-3 export), v3 and v4 checkpoints", async () => {
            const [v1, v1export, v3, v4] = await Promise.all(
                ["checkpoint-v1.json", "checkpoint-v1.export.json", "checkpoint-v3.json", "checkpoint-v4.json"]
                    .map((f) => checkState(path.join(STATE, f))),
            );
            for (const r of [v1, v1export, v3, v4]) assert.strictEqual(r.exitCode, 1, r.stderr.slice(0, 2000));
            // v3 and v4 hold the state of seed-003-python.show-secrets.json, whose findings the test above pins.
            assert.deepStrictEqual(summary(v3), SEED_003);
            assert.deepStrictEqual(summary(v4), SEED_003);
            assert.deepStrictEqual(summary(v1), summary(v1export));
            // Migrated, every input of apiKeySecret depends on the vault provider (its only dependency); provenance is
            // decided per value, and the literal is in none of that resource's outputs, so it is still a literal.
            assert.deepStrictEqual(summary(v1), SEED_003);
            for (const r of [v1, v3, v4]) {
                assert.strictEqual(r.report!.project, "seed-003-py");
                assert.strictEqual(r.report!.resources.length, 5);
                assert.doesNotMatch(r.stderr, /note:/);
            }
        });

        it("b64 and passphrase secrets are unknown values (as in the encrypted export); a v2 checkpoint's pending create is audited", async () => {
            const [b64, pass, v2] = await Promise.all(
                ["checkpoint-v3-b64.json", "checkpoint-v3-passphrase.json", "checkpoint-v2.json"].map((f) => checkState(path.join(STATE, f))),
            );
            assert.strictEqual(b64.exitCode, 0, b64.stderr.slice(0, 2000));
            assert.strictEqual(pass.exitCode, 0, pass.stderr.slice(0, 2000));
            assert.deepStrictEqual(summary(b64), ["vault-provider-tls advisory vault"]);
            assert.deepStrictEqual(summary(pass), ["vault-provider-tls advisory vault"]);
            // Version 2 has no secrets: the token and data are plain strings, and the resource being created when the
            // update stopped is analyzed too.
            assert.strictEqual(v2.exitCode, 1, v2.stderr.slice(0, 2000));
            assert.match(v2.stderr, /note: state file .*checkpoint-v2\.json has 1 pending operation\(s\) \(1 creating\)/);
            assert.deepStrictEqual(summary(v2), [
                "no-hardcoded-secrets mandatory apiKeySecret",
                "no-hardcoded-secrets mandatory modelRegistryCreds",
                "no-hardcoded-secrets mandatory vault",
                "vault-provider-tls advisory vault",
            ]);
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
            ["wrong version", JSON.stringify({ version: 5, deployment: { resources: [], secret: planted } }), /deployment version 5; versions 1 to 4 are supported/],
            ["resources not an array", JSON.stringify({ version: 3, deployment: { resources: planted } }), /deployment\.resources must be an array/],
            ["a checkpoint without latest", JSON.stringify({ version: 3, checkpoint: { stack: "dev", config: { k: planted } } }),
                /is a checkpoint without a latest deployment: the stack has never been updated/],
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
