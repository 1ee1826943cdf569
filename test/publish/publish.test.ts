// Reproduces what Pulumi Cloud does with a published pack, from the staged publish directory (`npm run stage`):
// `pulumi policy publish` runs `npm pack` there (package.json `files` applies), and enforcement unpacks the tarball
// and runs `npm install --production` in it (PulumiPolicy.yaml sets runtime.options.production). The installed pack
// is then started through the offline checker and must give exactly the findings of the working tree's pack.
// Then the same tarball is installed into a fresh project, as `npm install --save-dev ml-secrets-guard` would, and
// its `ml-secrets-guard` command gates a program: findings at the literal's line, --baseline, a new violation.
// Needs the npm registry or its cache; skipped (with a message) only when neither can provide the packages.
import * as assert from "assert";
import Ajv from "ajv";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stage } from "../../scripts/stage";
import { repoRoot, runCheck, RunCheckResult } from "../helpers/check";
import { assertNoLeak, fake } from "../helpers/secrets";

const root = repoRoot();

interface Run {
    code: number;
    stdout: string;
    stderr: string;
}

function run(cmd: string, args: string[], cwd: string, timeoutMs: number): Promise<Run> {
    return new Promise((resolve, reject) => {
        // npm on PATH (npm-cli.js is a node script; `npm` is the shim every user runs).
        const child = spawn(cmd, args, {
            cwd,
            env: { ...process.env, npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false" },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        const timer = setTimeout(() => {
            child.kill("SIGKILL");
            reject(new Error(`${cmd} ${args.join(" ")} timed out after ${timeoutMs / 1000}s; stderr:\n${stderr.slice(-2000)}`));
        }, timeoutMs);
        child.on("error", (e) => {
            clearTimeout(timer);
            reject(e);
        });
        child.on("close", (code) => {
            clearTimeout(timer);
            resolve({ code: code ?? -1, stdout, stderr });
        });
    });
}

/** Every package name installed under `nodeModules`, nested node_modules included. */
function installedPackages(nodeModules: string): Set<string> {
    const names = new Set<string>();
    const visit = (dir: string) => {
        if (!fs.existsSync(dir)) return;
        for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
            if (!e.isDirectory() || e.name.startsWith(".")) continue;
            if (e.name.startsWith("@")) {
                for (const s of fs.readdirSync(path.join(dir, e.name), { withFileTypes: true })) {
                    if (!s.isDirectory()) continue;
                    names.add(`${e.name}/${s.name}`);
                    visit(path.join(dir, e.name, s.name, "node_modules"));
                }
            } else {
                names.add(e.name);
                visit(path.join(dir, e.name, "node_modules"));
            }
        }
    };
    visit(nodeModules);
    return names;
}

function duKb(dir: string): number {
    let total = 0;
    const stack = [dir];
    while (stack.length) {
        const d = stack.pop()!;
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
            const p = path.join(d, e.name);
            if (e.isDirectory()) stack.push(p);
            else if (e.isFile()) total += fs.statSync(p).size;
        }
    }
    return Math.round(total / 1024);
}

const UNREACHABLE = /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED)\b/;

/** What a comparison looks at: every field of every diagnostic, in a stable order. */
function findings(r: RunCheckResult): string[] {
    assert.ok(r.report, `a JSON report (exit ${r.exitCode}): ${r.stderr.slice(0, 2000)}`);
    return r.report!.diagnostics
        .map((d) => JSON.stringify([d.policyName, d.enforcementLevel, d.severity ?? "", d.urn ?? "", d.message]))
        .sort();
}

/** Upper bound of the packed tarball (compiled JS of pack and checker, README, PulumiPolicy.yaml); measured below. */
const MAX_TARBALL_KB = 200;

describe("publish: the staged, npm-packed package, installed for production as enforcement does", function () {
    this.timeout(300000);
    let tmp = "";
    let packDir = "";
    let tarball = "";
    let tarballFiles: string[] = [];
    let tarballBytes = 0;

    before(async function () {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "msg-publish-"));
        const staged = stage(root, path.join(tmp, "stage"));
        const packed = await run("npm", ["pack", "--json", "--pack-destination", tmp], staged.dir, 120000);
        assert.strictEqual(packed.code, 0, `npm pack failed: ${packed.stderr.slice(-2000)}`);
        const info = JSON.parse(packed.stdout.slice(packed.stdout.indexOf("[")))[0];
        tarballFiles = info.files.map((f: { path: string }) => f.path).sort();
        tarball = path.join(tmp, info.filename);
        tarballBytes = fs.statSync(tarball).size;
        const unpacked = path.join(tmp, "unpacked");
        fs.mkdirSync(unpacked);
        const untar = await run("tar", ["xzf", tarball, "-C", unpacked], tmp, 60000);
        assert.strictEqual(untar.code, 0, `tar failed: ${untar.stderr}`);
        packDir = path.join(unpacked, "package");
        // Enforcement runs `npm install --production`; npm 11 still accepts it (with a warning) as --omit=dev.
        const install = await run("npm", ["install", "--production", "--no-audit", "--no-fund"], packDir, 240000);
        if (install.code !== 0 && UNREACHABLE.test(install.stderr)) {
            console.log(`      skipped: the npm registry is unreachable (${UNREACHABLE.exec(install.stderr)![1]})`);
            this.skip();
        }
        assert.strictEqual(install.code, 0, `npm install --production failed: ${install.stderr.slice(-3000)}`);
    });

    after(() => {
        if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    it("the tarball holds compiled JS of the pack and the checker, PulumiPolicy.yaml, README and package.json, nothing else", () => {
        const other = tarballFiles.filter((f) => !/^dist\/(policies|checker)\/.*\.js$/.test(f));
        assert.deepStrictEqual(other, ["PulumiPolicy.yaml", "README.md", "package.json"]);
        assert.ok(tarballFiles.includes("dist/policies/index.js"), "the pack's main");
        assert.ok(tarballFiles.includes("dist/checker/cli.js"), "the bin");
        assert.ok(!tarballFiles.some((f) => /(^|\/)(test|fixtures|bench)\//.test(f)), "no tests, fixtures or bench");
        const kb = tarballBytes / 1024;
        console.log(`      tarball: ${tarballFiles.length} files, ${kb.toFixed(1)} kB packed`);
        assert.ok(kb < MAX_TARBALL_KB, `tarball is ${kb.toFixed(1)} kB, more than ${MAX_TARBALL_KB} kB`);
    });

    it("the published package.json has the bin and no devDependencies or scripts; the bin has a node shebang", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(packDir, "package.json"), "utf8"));
        const own = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
        assert.deepStrictEqual(pkg.bin, { "ml-secrets-guard": "dist/checker/cli.js" });
        assert.strictEqual(pkg.devDependencies, undefined);
        assert.strictEqual(pkg.scripts, undefined);
        assert.deepStrictEqual(pkg.dependencies, own.dependencies);
        assert.ok(fs.readFileSync(path.join(packDir, "dist", "checker", "cli.js"), "utf8").startsWith("#!/usr/bin/env node\n"));
    });

    it("the production install holds no typescript, no provider SDK and no development tool", async () => {
        const nm = path.join(packDir, "node_modules");
        const names = installedPackages(nm);
        assert.ok(names.has("@pulumi/policy") && names.has("@pulumi/pulumi"), "runtime dependencies installed");
        const forbidden = ["typescript", "@pulumi/aws", "@pulumi/gcp", "@pulumi/azure-native", "@pulumi/vault", "@pulumi/random",
            "mocha", "fast-check", "@types/mocha"];
        assert.deepStrictEqual(forbidden.filter((n) => names.has(n)), []);
        const du = await run("du", ["-sk", nm], packDir, 60000).catch(() => undefined);
        const kb = du && du.code === 0 ? Number(du.stdout.split(/\s/)[0]) : duKb(nm);
        console.log(`      production install: ${names.size} packages, du of node_modules ${(kb / 1024).toFixed(1)} MiB`);
    });

    const cases: Array<{ name: string; dir: string; secrets: () => Record<string, string>; mandatory: boolean }> = [
        {
            name: "reference stack vault-kv-azure-ml",
            dir: path.join(root, "reference-stacks", "vault-kv-azure-ml"),
            secrets: () => ({ "ml-vault-kv-azure:vaultToken": fake.vaultToken(), "ml-vault-kv-azure:apiKey": fake.openai() }),
            mandatory: false,
        },
        {
            name: "as-written fixture 003",
            dir: path.join(root, "test", "fixtures", "as-written", "003"),
            secrets: () => ({}),
            mandatory: true,
        },
    ];
    for (const c of cases) {
        for (const mode of ["preview", "update"] as const) {
            it(`${c.name} (${mode}): the installed pack's findings equal the working tree's`, async () => {
                const secrets = c.secrets();
                const [installed, working] = await Promise.all([
                    runCheck(c.dir, { mode, secrets, pack: packDir, timeoutMs: 180000 }),
                    runCheck(c.dir, { mode, secrets, timeoutMs: 180000 }),
                ]);
                assert.strictEqual(installed.exitCode, c.mandatory ? 1 : 0, `installed pack: ${installed.stderr.slice(0, 2000)}`);
                assert.strictEqual(working.exitCode, installed.exitCode, `working tree: ${working.stderr.slice(0, 2000)}`);
                assert.deepStrictEqual(findings(installed), findings(working));
                assert.strictEqual(installed.report!.pack.name, working.report!.pack.name);
                assert.strictEqual(installed.report!.pack.version, working.report!.pack.version);
                assert.deepStrictEqual(installed.report!.pack.policies.map((p) => p.name),
                    working.report!.pack.policies.map((p) => p.name));
                if (c.mandatory) assert.ok(findings(installed).length > 0, "the fixture has findings to compare");
                for (const s of Object.values(secrets)) {
                    assertNoLeak(installed.stdout + installed.stderr, s);
                }
            });
        }
    }
    describe("the installed command: npx ml-secrets-guard in a fresh project", function () {
        let proj = "";
        const first = fake.vaultToken();
        const second = fake.githubPat();
        const SARIF_SCHEMA = path.join(root, "test", "schemas", "sarif-2.1.0.json");

        /** A program whose literals are generated now (never committed); `extra` adds a second violation. */
        function writeProgram(extra: boolean): string {
            const lines = [
                'import * as vault from "@pulumi/vault";',
                "",
                'new vault.generic.Secret("api", {',
                '    path: "secret/data/ml",',
                "    dataJson: JSON.stringify({",
                '        model: "m",',
                `        token: "${first}",`,
                "    }),",
                "});",
            ];
            if (extra) {
                lines.push("", 'new vault.generic.Secret("ci", {', '    path: "secret/data/ci",', "    dataJson: JSON.stringify({",
                    `        github_token: "${second}",`, "    }),", "});");
            }
            fs.writeFileSync(path.join(proj, "infra", "index.ts"), lines.join("\n") + "\n");
            return lines.join("\n");
        }

        function lineOf(source: string, needle: string): number {
            return source.slice(0, source.indexOf(needle)).split("\n").length;
        }

        const npx = (args: string[]) => run("npx", ["--no", "ml-secrets-guard", ...args], proj, 180000);

        before(async function () {
            proj = path.join(tmp, "project");
            fs.mkdirSync(path.join(proj, "infra"), { recursive: true });
            fs.writeFileSync(path.join(proj, "package.json"), JSON.stringify({ name: "fresh-project", private: true }));
            fs.writeFileSync(path.join(proj, "infra", "Pulumi.yaml"), "name: fresh\nruntime: nodejs\n");
            fs.writeFileSync(path.join(proj, "infra", "Pulumi.dev.yaml"), "config:\n  vault:address: https://vault.example.com:8200\n");
            // The package and the provider SDK the program uses: from the npm cache when it has every package,
            // else from the registry (the cache may lack the newest version of a transitive dependency).
            const pkgs = [tarball, "@pulumi/vault@7.8.0"];
            let install = await run("npm", ["install", "--offline", "--no-audit", "--no-fund", ...pkgs], proj, 240000);
            if (install.code !== 0 && /ENOTCACHED/.test(install.stderr)) {
                install = await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", ...pkgs], proj, 240000);
            }
            if (install.code !== 0 && UNREACHABLE.test(install.stderr)) {
                console.log(`      skipped: neither the npm cache nor the registry has the packages (${UNREACHABLE.exec(install.stderr)![1]})`);
                this.skip();
            }
            assert.strictEqual(install.code, 0, `npm install of the tarball failed: ${install.stderr.slice(-3000)}`);
        });

        it("has --help for every subcommand", async () => {
            for (const cmd of ["check", "events", "references"]) {
                const r = await npx([cmd, "--help"]);
                assert.strictEqual(r.code, 0, r.stderr);
                assert.match(r.stdout, new RegExp(`^usage:\\n  ml-secrets-guard ${cmd}`));
                assert.match(r.stdout, /--help/);
            }
            const bad = await npx(["check", "--no-such-flag"]);
            assert.strictEqual(bad.code, 2);
            assert.match(bad.stderr, /unknown option --no-such-flag/);
        });

        it("reports the hard-coded secret at the literal's line (text, SARIF), baselines it, then fails only on a new one", async () => {
            assert.ok(!installedPackages(path.join(proj, "node_modules")).has("typescript"), "typescript is not installed here");
            const source = writeProgram(false);
            const line = lineOf(source, "token:");
            const baseline = path.join(proj, "baseline.json");

            // 1. A violation: exit 1, the finding at index.ts:<line of the literal>; the JSON report is the baseline.
            const r1 = await npx(["check", "infra", "--write-baseline", baseline]);
            assert.strictEqual(r1.code, 1, r1.stderr.slice(-2000));
            assert.match(r1.stdout, new RegExp(`\\n {4}index\\.ts:${line}:\\d+ \\[mandatory\\] no-hardcoded-secrets`));
            assert.match(r1.stdout, /property dataJson\{json\}\.token holds a hard-coded secret/);

            // 2. The same program against its baseline: exit 0; SARIF valid, at the literal's line, fingerprinted.
            const sarifFile = path.join(proj, "results.sarif");
            const r2 = await npx(["check", "infra", "--baseline", baseline, "--format", "sarif", "--output", sarifFile]);
            assert.strictEqual(r2.code, 0, r2.stderr.slice(-2000));
            const log: any = JSON.parse(fs.readFileSync(sarifFile, "utf8"));
            const validate = new Ajv({ allErrors: true, strict: false, validateFormats: false })
                .compile(JSON.parse(fs.readFileSync(SARIF_SCHEMA, "utf8")));
            assert.ok(validate(log as object), JSON.stringify(validate.errors));
            const results = log.runs[0].results;
            assert.strictEqual(results.length, 1);
            assert.deepStrictEqual(results[0].locations[0].physicalLocation.artifactLocation, { uri: "infra/index.ts", uriBaseId: "%SRCROOT%" });
            assert.strictEqual(results[0].locations[0].physicalLocation.region.startLine, line);
            assert.match(results[0].partialFingerprints["mlSecretsGuardFinding/v1"], /^[0-9a-f]{32}$/);
            assert.strictEqual(results[0].baselineState, "unchanged");

            // 3. One new violation: exit 1, and only the new finding is new.
            const source3 = writeProgram(true);
            const r3 = await npx(["check", "infra", "--baseline", baseline, "--format", "json"]);
            assert.strictEqual(r3.code, 1, r3.stderr.slice(-2000));
            const doc = JSON.parse(r3.stdout);
            const fresh = doc.diagnostics.filter((d: { baselined: boolean }) => !d.baselined);
            assert.deepStrictEqual(fresh.map((d: { urn: string }) => d.urn.split("::").pop()), ["ci"]);
            assert.strictEqual(fresh[0].location.line, lineOf(source3, "github_token:"));
            assert.deepStrictEqual(doc.diagnostics.filter((d: { baselined: boolean }) => d.baselined).map((d: { urn: string }) => d.urn.split("::").pop()), ["api"]);

            for (const r of [r1, r2, r3]) {
                assertNoLeak(r.stdout + r.stderr, first);
                assertNoLeak(r.stdout + r.stderr, second);
            }
            assertNoLeak(fs.readFileSync(sarifFile, "utf8") + fs.readFileSync(baseline, "utf8"), first);
        });
    });
    describe("the GitHub composite action (action.yml): its shell steps, run locally against a fixture program", function () {
        const program = path.join("test", "fixtures", "as-written", "003");
        let runner = "";

        /** Runs the action's steps as the runner would (bash -eo pipefail), inputs through each step's env. */
        async function runAction(inputs: Record<string, string>): Promise<{ steps: Run[]; outputs: Record<string, string> }> {
            const action = require("js-yaml").load(fs.readFileSync(path.join(root, "action.yml"), "utf8"));
            const values: Record<string, string> = {};
            for (const [k, v] of Object.entries(action.inputs as Record<string, { default?: string }>)) values[k] = v.default ?? "";
            Object.assign(values, inputs);
            const outputFile = path.join(runner, `output-${Date.now()}`);
            fs.writeFileSync(outputFile, "");
            const steps: Run[] = [];
            for (const step of action.runs.steps as Array<{ run?: string; env?: Record<string, string>; shell?: string }>) {
                assert.strictEqual(step.shell, "bash");
                assert.ok(step.run && !step.run.includes("${{"), "inputs reach the script through env only");
                const env: Record<string, string> = {};
                for (const [k, v] of Object.entries(step.env ?? {})) {
                    env[k] = String(v).replace(/\$\{\{\s*(inputs\.([\w-]+)|runner\.temp)\s*\}\}/g, (_m, _all, name) => {
                        if (name === undefined) return runner;
                        assert.ok(name in values, `unknown input ${name}`);
                        return values[name];
                    });
                }
                const script = path.join(runner, "step.sh");
                fs.writeFileSync(script, step.run);
                const r = await new Promise<Run>((resolve) => {
                    const child = spawn("bash", ["--noprofile", "--norc", "-eo", "pipefail", script], {
                        cwd: root,
                        env: { ...process.env, ...env, GITHUB_OUTPUT: outputFile, GITHUB_WORKSPACE: root, npm_config_audit: "false", npm_config_fund: "false" },
                        stdio: ["ignore", "pipe", "pipe"],
                    });
                    let stdout = "";
                    let stderr = "";
                    child.stdout.on("data", (d) => (stdout += d));
                    child.stderr.on("data", (d) => (stderr += d));
                    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
                });
                steps.push(r);
                if (r.code !== 0) break;
            }
            const outputs = Object.fromEntries(fs.readFileSync(outputFile, "utf8").split("\n").filter(Boolean).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
            return { steps, outputs };
        }

        before(() => {
            runner = path.join(tmp, "runner");
            fs.mkdirSync(runner, { recursive: true });
        });

        it("installs the package, writes SARIF at the findings' lines, annotates, and fails the job on the threshold", async function () {
            const sarif = path.join(runner, "policy.sarif");
            const a = await runAction({ program, package: tarball, "install-dependencies": "false", "sarif-file": sarif });
            if (a.steps[0].code !== 0 && UNREACHABLE.test(a.steps[0].stderr)) this.skip();
            assert.strictEqual(a.steps.length, 3, `a step failed early: ${a.steps.map((s) => s.stderr.slice(-1500)).join("\n---\n")}`);
            assert.deepStrictEqual(a.steps.map((s) => s.code), [0, 0, 1], a.steps[2].stderr.slice(-2000));
            assert.deepStrictEqual(a.outputs, { "sarif-file": sarif, "exit-code": "1" });
            const log = JSON.parse(fs.readFileSync(sarif, "utf8"));
            const lines = log.runs[0].results.map((r: any) => r.locations[0].physicalLocation.region.startLine);
            assert.ok(lines.length === 3 && lines.every((l: number) => l > 1), `results at their lines: ${lines}`);
            assert.match(a.steps[2].stdout, /^::error file=test\/fixtures\/as-written\/003\/index\.ts,line=\d+,col=\d+,title=no-hardcoded-secrets::/m);
            assert.match(a.steps[2].stdout, /^::warning file=[^,]+,line=\d+,col=\d+,title=vault-provider-tls::/m);

            // fail-on none: the same findings, the job passes.
            const b = await runAction({ program, package: tarball, "install-dependencies": "false", "sarif-file": sarif, "fail-on": "none" });
            assert.deepStrictEqual(b.steps.map((s) => s.code), [0, 0, 0], b.steps.map((s) => s.stderr.slice(-1500)).join("\n"));
            assert.strictEqual(b.outputs["exit-code"], "0");
        });
    });
});
