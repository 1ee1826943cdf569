import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { packEnvironment } from "../../../checker/engine/pack";
import { CaptureMonitor } from "../../../checker/runner/monitor";
import { pulumiPackageDir, qualifyKey, readProject, readStackConfig, standInFor } from "../../../checker/runner/project";
import { UsageError } from "../../../checker/errors";
import { repoRoot } from "../../helpers/check";
import { assertNoLeak, fake } from "../../helpers/secrets";

describe("checker/runner/project", () => {
    // js-yaml is found through @pulumi/pulumi, resolved from the program directory: use a directory in the repo.
    let dir: string;
    before(() => {
        dir = fs.mkdtempSync(path.join(repoRoot(), "test", "programs", ".tmp-"));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("namespaces bare keys with the project name, as `pulumi config` does", () => {
        assert.strictEqual(qualifyKey("apiKey", "proj"), "proj:apiKey");
        assert.strictEqual(qualifyKey("aws:region", "proj"), "aws:region");
    });

    it("reads plain, object and secure config; secure values get a deterministic stand-in unless --secret", () => {
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: proj\nruntime: nodejs\nmain: src/\n");
        fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), [
            "config:",
            "  aws:region: eu-west-1",
            "  proj:replicas: 3",
            "  proj:labels:",
            "    team: ml",
            "  proj:apiKey:",
            "    secure: AAABAGNpcGhlcnRleHQ=",
            "  proj:dbPassword:",
            "    secure: AAABAGNpcGhlcnRleHQy",
        ].join("\n") + "\n");
        const project = readProject(dir);
        assert.strictEqual(project.name, "proj");
        assert.strictEqual(project.main, "src/");
        const cfg = readStackConfig(project, "dev", { config: [["extra", "x"]], secrets: [["dbPassword", "given-by-flag"]] });
        assert.strictEqual(cfg.values["aws:region"], "eu-west-1");
        assert.strictEqual(cfg.values["proj:replicas"], "3");
        assert.strictEqual(cfg.values["proj:labels"], JSON.stringify({ team: "ml" }));
        assert.strictEqual(cfg.values["proj:extra"], "x");
        assert.strictEqual(cfg.values["proj:apiKey"], standInFor("proj:apiKey"));
        assert.match(cfg.values["proj:apiKey"], /^offline-stand-in-[0-9a-f]{12}$/);
        assert.strictEqual(cfg.values["proj:dbPassword"], "given-by-flag");
        assert.deepStrictEqual(cfg.secretKeys, ["proj:apiKey", "proj:dbPassword"]);
        assert.strictEqual(cfg.notes.length, 1);
        assert.match(cfg.notes[0], /proj:apiKey/);
        assert.ok(!cfg.notes[0].includes("AAAB"), "a note must not echo the ciphertext");
    });

    it("rejects a non-nodejs project", () => {
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: p\nruntime: python\n");
        assert.throws(() => readProject(dir), /only nodejs/);
    });

    it("reads stack config through the reader check --state uses: bad YAML and non-mappings are usage errors naming the position, never the text", () => {
        const token = fake.openai();
        const sub = fs.mkdtempSync(path.join(repoRoot(), "test", "programs", ".tmp-"));
        try {
            fs.writeFileSync(path.join(sub, "Pulumi.yaml"), "name: proj\nruntime: nodejs\n");
            const project = readProject(sub);
            fs.writeFileSync(path.join(sub, "Pulumi.dev.yaml"), `config:\n  proj:apiKey: ${token}\n  - [unbalanced\n`);
            assert.throws(() => readStackConfig(project, "dev"), (e: unknown) => {
                assert.ok(e instanceof UsageError);
                assert.match(e.message, /Pulumi\.dev\.yaml is not valid YAML \(line \d+, column \d+\)/);
                assertNoLeak(e.message, token);
                return true;
            });
            fs.writeFileSync(path.join(sub, "Pulumi.dev.yaml"), "config:\n  - a\n  - b\n");
            assert.throws(() => readStackConfig(project, "dev"), (e: unknown) => e instanceof UsageError && /config must be a mapping/.test(e.message));
            fs.writeFileSync(path.join(sub, "Pulumi.dev.yaml"), "just text\n");
            assert.throws(() => readStackConfig(project, "dev"), (e: unknown) => e instanceof UsageError && /expected a mapping/.test(e.message));
        } finally {
            fs.rmSync(sub, { recursive: true, force: true });
        }
    });
});

describe("checker/runner/monitor URNs", () => {
    const m = new CaptureMonitor(pulumiPackageDir(repoRoot()), { project: "p", stack: "dev", dryRun: true, config: {}, secretKeys: [] });
    const stack = "urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev";
    it("does not prefix children of the root stack with its type", () => {
        assert.strictEqual(m.urnFor(stack, "aws:s3/bucket:Bucket", "b"), "urn:pulumi:dev::p::aws:s3/bucket:Bucket::b");
    });
    it("prefixes children of components with the parent's full qualified type", () => {
        const parent = "urn:pulumi:dev::p::a:b:Outer$a:b:Inner::in";
        assert.strictEqual(m.urnFor(parent, "aws:s3/bucket:Bucket", "b"), "urn:pulumi:dev::p::a:b:Outer$a:b:Inner$aws:s3/bucket:Bucket::b");
    });
    it("gives the root stack a plain URN", () => {
        assert.strictEqual(m.urnFor("", "pulumi:pulumi:Stack", "p-dev"), stack);
    });
});

describe("checker/engine/pack environment", () => {
    it("sets PULUMI_CONFIG and both PULUMI_NODEJS_* and PULUMI_* variables, dropping the runner's secret-key list", () => {
        const env = packEnvironment({ config: { "p:k": "v" }, project: "p", stack: "dev", organization: "org", dryRun: false },
            { PATH: "/bin", PULUMI_CONFIG_SECRET_KEYS: "[\"p:k\"]" });
        assert.strictEqual(env.PULUMI_CONFIG, JSON.stringify({ "p:k": "v" }));
        assert.strictEqual(env.PULUMI_NODEJS_DRY_RUN, "false");
        assert.strictEqual(env.PULUMI_DRY_RUN, "false");
        assert.strictEqual(env.PULUMI_NODEJS_STACK, "dev");
        assert.strictEqual(env.PULUMI_PROJECT, "p");
        assert.strictEqual(env.PULUMI_ORGANIZATION, "org");
        assert.strictEqual(env.PULUMI_CONFIG_SECRET_KEYS, undefined);
        assert.strictEqual(env.PATH, "/bin");
    });
    it("omits PULUMI_CONFIG when there is no config, as constructEnv does", () => {
        const env = packEnvironment({ config: {}, project: "p", stack: "dev", organization: "org", dryRun: true }, {});
        assert.ok(!("PULUMI_CONFIG" in env));
    });
});
