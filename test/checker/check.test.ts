// End-to-end tests of `ml-secrets-guard check`: the built CLI runs small programs (test/programs) against small
// packs (test/packs). The recorder pack writes every Analyzer request it receives, raw, to a file, so these tests
// see exactly what reached the pack. Each run spawns two processes; runs are shared between assertions.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { repoRoot, runCheck, RunCheckResult } from "../helpers/check";

import { SECRET_SIG, SIG_KEY, UNKNOWN_STRING } from "../../policies/lib/wire";

const root = repoRoot();
const program = (name: string) => path.join(root, "test", "programs", name);
const pack = (name: string) => path.join(root, "test", "packs", name);

const STACK_URN = "urn:pulumi:dev::basic-ml::pulumi:pulumi:Stack::basic-ml-dev";
const KEY_URN = "urn:pulumi:dev::basic-ml::aws:kms/key:Key::model-key";
const PASSWORD_URN = "urn:pulumi:dev::basic-ml::random:index/randomPassword:RandomPassword::api-token";
const DEFAULT_AWS = "urn:pulumi:dev::basic-ml::pulumi:providers:aws::default_7_48_0";
const EU_PROVIDER = "urn:pulumi:dev::basic-ml::pulumi:providers:aws::eu";

interface Rec {
    method: string;
    [k: string]: any;
}

function isSecret(v: any): boolean {
    return !!v && typeof v === "object" && v[SIG_KEY] === SECRET_SIG && "value" in v;
}

async function recordedRun(mode: "preview" | "update"): Promise<{ run: RunCheckResult; recs: Rec[] }> {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "mlsg-rec-")), "requests.jsonl");
    const run = await runCheck(program("basic"), { pack: pack("recorder"), mode, env: { MLSG_RECORD_FILE: file } });
    const recs = fs.existsSync(file)
        ? fs.readFileSync(file, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as Rec)
        : [];
    return { run, recs };
}

function analyzeOf(recs: Rec[], urn: string): Rec {
    const r = recs.find((x) => x.method === "analyze" && x.urn === urn);
    assert.ok(r, `no Analyze request for ${urn}; got ${recs.filter((x) => x.method === "analyze").map((x) => x.urn).join(", ")}`);
    return r;
}

function stackResource(recs: Rec[], urn: string): any {
    const s = recs.find((x) => x.method === "analyzeStack");
    assert.ok(s, "no AnalyzeStack request");
    const r = s.resources.find((x: any) => x.urn === urn);
    assert.ok(r, `${urn} missing from AnalyzeStack`);
    return r;
}

describe("checker: ml-secrets-guard check (end to end)", function () {
    this.timeout(180000);

    let preview: { run: RunCheckResult; recs: Rec[] };
    let update: { run: RunCheckResult; recs: Rec[] };

    before(async () => {
        [preview, update] = await Promise.all([recordedRun("preview"), recordedRun("update")]);
        for (const r of [preview, update]) {
            assert.ok(r.recs.length > 0, `recorder pack recorded nothing; exit ${r.run.exitCode}; stderr:\n${r.run.stderr.slice(-3000)}`);
        }
    });

    describe("the wire, as the engine sends it", () => {
        it("calls the pack in the CLI's order", () => {
            const methods = preview.recs.map((r) => r.method);
            const firstAnalyze = methods.indexOf("analyze");
            assert.deepStrictEqual(methods.slice(0, firstAnalyze),
                ["configureStack", "getPluginInfo", "getAnalyzerInfo", "configure"]);
            assert.strictEqual(methods[methods.length - 1], "analyzeStack");
            assert.strictEqual(methods.filter((m) => m === "analyzeStack").length, 1);
            assert.ok(!methods.includes("remediate"), "Remediate must not be called when no policy is at remediate");
        });

        it("keeps secret wrappers for pulumi.secret() and secret-config inputs", () => {
            const plainParam = analyzeOf(preview.recs, "urn:pulumi:dev::basic-ml::aws:ssm/parameter:Parameter::plain-param");
            assert.ok(isSecret(plainParam.properties.value), "pulumi.secret(...) input must arrive secret-wrapped");
            assert.strictEqual(plainParam.properties.type, "String");
            const version = analyzeOf(preview.recs, "urn:pulumi:dev::basic-ml::aws:secretsmanager/secretVersion:SecretVersion::db-secret-v1");
            assert.ok(isSecret(version.properties.secretString), "an input built from secret config must arrive secret-wrapped");
        });

        it("sends a preview-time id as the unknown sentinel, and a known id in update mode", () => {
            const p = analyzeOf(preview.recs, "urn:pulumi:dev::basic-ml::aws:secretsmanager/secret:Secret::db-secret");
            assert.strictEqual(p.properties.kmsKeyId, UNKNOWN_STRING);
            const u = analyzeOf(update.recs, "urn:pulumi:dev::basic-ml::aws:secretsmanager/secret:Secret::db-secret");
            assert.strictEqual(typeof u.properties.kmsKeyId, "string");
            assert.notStrictEqual(u.properties.kmsKeyId, UNKNOWN_STRING);
            assert.strictEqual(u.properties.kmsKeyId, stackResource(update.recs, KEY_URN).properties.keyId);
        });

        it("marks RandomPassword.result secret: a known secret in update, a secret unknown in preview", () => {
            const u = stackResource(update.recs, PASSWORD_URN);
            assert.ok(isSecret(u.properties.result), "result must be secret (additionalSecretOutputs)");
            assert.strictEqual(typeof u.properties.result.value, "string");
            assert.notStrictEqual(u.properties.result.value, UNKNOWN_STRING);
            assert.deepStrictEqual(u.options.additionalSecretOutputs.slice().sort(), ["bcryptHash", "result"]);
            const p = stackResource(preview.recs, PASSWORD_URN);
            assert.deepStrictEqual(p.properties.result, { [SIG_KEY]: SECRET_SIG, value: UNKNOWN_STRING });
            // The parameter fed from it sees an unknown in preview and a secret in update.
            const paramUrn = "urn:pulumi:dev::basic-ml::aws:ssm/parameter:Parameter::api-token-param";
            assert.strictEqual(analyzeOf(preview.recs, paramUrn).properties.value, UNKNOWN_STRING);
            assert.ok(isSecret(analyzeOf(update.recs, paramUrn).properties.value));
        });

        it("passes stack, project, dry-run and decrypted config in ConfigureStack and the environment", () => {
            const cs = preview.recs.find((r) => r.method === "configureStack")!;
            assert.strictEqual(cs.stack, "dev");
            assert.strictEqual(cs.project, "basic-ml");
            assert.strictEqual(cs.dryRun, true);
            assert.deepStrictEqual(cs.secretKeys, ["basic-ml:dbPassword"]);
            assert.strictEqual(cs.config["aws:region"], "us-west-2");
            assert.strictEqual(cs.config["basic-ml:settings"], JSON.stringify({ retries: 3 }));
            assert.strictEqual(cs.tags["pulumi:project"], "basic-ml");
            assert.strictEqual(cs.env.PULUMI_NODEJS_DRY_RUN, "true");
            assert.strictEqual(cs.env.PULUMI_DRY_RUN, "true");
            assert.strictEqual(cs.env.PULUMI_NODEJS_PROJECT, "basic-ml");
            assert.strictEqual(JSON.parse(cs.env.PULUMI_CONFIG)["aws:region"], "us-west-2");
            assert.strictEqual(fs.realpathSync(cs.env.cwd), fs.realpathSync(pack("recorder")));
            const us = update.recs.find((r) => r.method === "configureStack")!;
            assert.strictEqual(us.dryRun, false);
            assert.strictEqual(us.env.PULUMI_NODEJS_DRY_RUN, "false");
        });

        it("configures every policy with its level and schema defaults", () => {
            const c = preview.recs.find((r) => r.method === "configure")!;
            assert.deepStrictEqual(Object.keys(c.config).sort(),
                ["advisory-tagged", "mandatory-tagged", "remediate-tag", "stack-flagged-export"]);
            assert.strictEqual(c.config["mandatory-tagged"].enforcementLevel, 1);
            assert.strictEqual(c.config["advisory-tagged"].enforcementLevel, 0);
            assert.strictEqual(c.config["mandatory-tagged"].properties.marker, "mlsgMandatory");
        });
    });

    describe("resources analyzed", () => {
        it("analyzes the root stack first, with empty properties", () => {
            const first = preview.recs.find((r) => r.method === "analyze")!;
            assert.strictEqual(first.urn, STACK_URN);
            assert.strictEqual(first.type, "pulumi:pulumi:Stack");
            assert.deepStrictEqual(first.properties, {});
        });

        it("analyzes the default provider before the first resource needing it, and passes it as the provider", () => {
            const urns = preview.recs.filter((r) => r.method === "analyze").map((r) => r.urn);
            const prov = analyzeOf(preview.recs, DEFAULT_AWS);
            assert.strictEqual(prov.type, "pulumi:providers:aws");
            assert.deepStrictEqual(prov.properties, { region: "us-west-2", version: "7.48.0" });
            const firstAws = urns.findIndex((u) => u.includes("::aws:"));
            assert.ok(urns.indexOf(DEFAULT_AWS) >= 0 && urns.indexOf(DEFAULT_AWS) < firstAws);
            const key = analyzeOf(preview.recs, KEY_URN);
            assert.strictEqual(key.provider.urn, DEFAULT_AWS);
            assert.strictEqual(key.provider.name, "default_7_48_0");
            assert.strictEqual(key.provider.properties.region, "us-west-2");
        });

        it("analyzes an explicit provider and passes it for the resources that use it", () => {
            const eu = analyzeOf(preview.recs, EU_PROVIDER);
            assert.strictEqual(eu.properties.region, "eu-west-1");
            const bucket = analyzeOf(preview.recs, "urn:pulumi:dev::basic-ml::aws:s3/bucket:Bucket::eu-bucket");
            assert.strictEqual(bucket.provider.urn, EU_PROVIDER);
            assert.strictEqual(bucket.options.parent, STACK_URN);
        });

        it("forms URNs as the engine: children of the stack unprefixed, children of components prefixed", () => {
            const child = "urn:pulumi:dev::basic-ml::mlsg:test:Pipeline$aws:s3/bucket:Bucket::train-artifacts";
            analyzeOf(preview.recs, child);
            assert.ok(!preview.recs.some((r) => typeof r.urn === "string" && r.urn.includes("pulumi:pulumi:Stack$")));
            assert.strictEqual(stackResource(preview.recs, child).parent, "urn:pulumi:dev::basic-ml::mlsg:test:Pipeline::train");
        });
    });

    describe("AnalyzeStack", () => {
        it("sees the exports as the root stack's properties, secrets wrapped", () => {
            const p = stackResource(preview.recs, STACK_URN).properties;
            assert.deepStrictEqual(Object.keys(p).sort(), ["artifacts", "flagged", "keyArn", "model", "tokenValue"]);
            assert.strictEqual(p.model, "fraud-detector");
            assert.ok(isSecret(p.flagged));
            assert.strictEqual(p.keyArn, UNKNOWN_STRING);
            // The SDK serializes an unknown output as the bare sentinel, secret or not: so does the engine's copy.
            assert.strictEqual(p.tokenValue, UNKNOWN_STRING);
            const u = stackResource(update.recs, STACK_URN).properties;
            assert.match(u.keyArn, /^arn:aws:kms:us-west-2:123456789012:key\//);
            assert.ok(isSecret(u.tokenValue));
        });

        it("sees property dependencies (empty ones omitted), dependencies and parents", () => {
            const param = stackResource(preview.recs, "urn:pulumi:dev::basic-ml::aws:ssm/parameter:Parameter::api-token-param");
            assert.deepStrictEqual(param.propertyDependencies, { keyId: [KEY_URN], value: [PASSWORD_URN] });
            assert.deepStrictEqual(param.dependencies.slice().sort(), [KEY_URN, PASSWORD_URN].sort());
            assert.strictEqual(param.parent, STACK_URN);
            assert.strictEqual(param.provider.urn, DEFAULT_AWS);
            assert.strictEqual(stackResource(preview.recs, STACK_URN).parent, "");
            assert.strictEqual(stackResource(preview.recs, DEFAULT_AWS).parent, "");
        });
    });

    describe("results and exit codes", () => {
        it("exits 0 with advisory-only findings, reported against the right resources", () => {
            assert.strictEqual(preview.run.exitCode, 0, preview.run.stderr);
            const r = preview.run.report!;
            assert.ok(r, "no JSON report");
            const byPolicy = (n: string) => r.diagnostics.filter((d) => d.policyName === n);
            assert.deepStrictEqual(byPolicy("advisory-tagged").map((d) => d.urn),
                ["urn:pulumi:dev::basic-ml::aws:s3/bucket:Bucket::eu-bucket"]);
            assert.deepStrictEqual(byPolicy("stack-flagged-export").map((d) => d.urn), [STACK_URN]);
            assert.strictEqual(byPolicy("mandatory-tagged").length, 0);
            assert.ok(r.diagnostics.every((d) => d.enforcementLevel === "advisory"));
            // PulumiPolicy.yaml's version wins over the pack's package.json version.
            assert.strictEqual(r.pack.version, "9.9.9");
            assert.ok(r.diagnostics.every((d) => d.policyPackVersion === "9.9.9"));
            assert.strictEqual(r.resources.length, 13);
        });

        it("remediates before analyzing when a policy is at remediate, and analyzes the remediated inputs", async () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mlsg-rem-"));
            const file = path.join(dir, "requests.jsonl");
            const cfgFile = path.join(dir, "policy-config.json");
            fs.writeFileSync(cfgFile, JSON.stringify({ "remediate-tag": "remediate" }));
            const run = await runCheck(program("basic"), {
                pack: pack("recorder"), policyConfig: cfgFile, env: { MLSG_RECORD_FILE: file },
            });
            const recs: Rec[] = fs.readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l));
            const c = recs.find((r) => r.method === "configure")!;
            assert.strictEqual(c.config["remediate-tag"].enforcementLevel, 3);
            // Every resource gets Remediate, then Analyze, in that order.
            const calls = recs.filter((r) => r.method === "remediate" || r.method === "analyze").map((r) => `${r.method} ${r.urn}`);
            const analyzed = recs.filter((r) => r.method === "analyze").map((r) => r.urn);
            assert.deepStrictEqual(calls, analyzed.flatMap((u) => [`remediate ${u}`, `analyze ${u}`]));
            const bucketUrn = "urn:pulumi:dev::basic-ml::aws:s3/bucket:Bucket::eu-bucket";
            assert.deepStrictEqual(analyzeOf(recs, bucketUrn).properties.tags, { mlsgAdvisory: "yes", remediated: "yes" });
            assert.strictEqual(stackResource(recs, bucketUrn).properties.tags.remediated, "yes");
            assert.strictEqual(analyzeOf(recs, KEY_URN).properties.tags, undefined);
            // A remediation is reported (level remediate); as in the CLI, it is a fix, so it alone does not fail the check.
            const rem = run.report!.diagnostics.filter((d) => d.policyName === "remediate-tag");
            assert.deepStrictEqual(rem.map((d) => [d.enforcementLevel, d.urn]).sort(), [
                ["remediate", bucketUrn],
                ["remediate", "urn:pulumi:dev::basic-ml::mlsg:test:Pipeline$aws:s3/bucket:Bucket::train-artifacts"],
            ].sort());
            const mandatory = run.report!.diagnostics.some((d) => d.enforcementLevel === "mandatory");
            assert.strictEqual(run.exitCode, mandatory ? 1 : 0, run.stderr);
        });

        it("exits 1 on a mandatory violation, and --pack drives an ordinary pack unchanged", async () => {
            const run = await runCheck(program("basic"), { pack: pack("plain"), config: { rotate: "false" } });
            assert.strictEqual(run.exitCode, 1, run.stderr);
            const d = run.report!.diagnostics.filter((x) => x.enforcementLevel === "mandatory");
            assert.deepStrictEqual(d.map((x) => [x.policyName, x.urn]), [["kms-rotation", KEY_URN]]);
            assert.strictEqual(run.report!.pack.name, "mlsg-plain");
            assert.strictEqual(run.report!.pack.version, "0.0.1");
        });

        it("fails clearly (exit 2) when the pack prints to stdout before its port", async () => {
            const run = await runCheck(program("basic"), { pack: pack("noisy") });
            assert.strictEqual(run.exitCode, 2);
            assert.match(run.stderr, /policy pack wrote to stdout before its port: "loading noisy policies\.\.\."/);
            assert.strictEqual(run.stdout, "");
        });

        it("exits 2 with the program's own error when the program throws", async () => {
            const run = await runCheck(program("throws"), { pack: pack("plain") });
            assert.strictEqual(run.exitCode, 2);
            assert.match(run.stderr, /the program failed: model registry URL is not configured/);
            assert.match(run.stderr, /throws[\\/]index\.ts:5/);
            assert.ok(!/checker[\\/]runner/.test(run.stderr), `our own stack leaked:\n${run.stderr}`);
            assert.strictEqual(run.stdout, "");
        });

        it("exits 2 on usage errors", async () => {
            const run = await runCheck(program("basic"), { extraArgs: ["--mode", "deploy"] });
            assert.strictEqual(run.exitCode, 2);
            assert.match(run.stderr, /--mode must be one of preview, update/);
        });
    });
});
