// Reproduces what Pulumi Cloud does with a published pack: `pulumi policy publish` runs `npm pack` in the pack
// directory (package.json `files` applies, package-lock.json is never packed), and enforcement unpacks the tarball
// and runs `npm install --production` in it (PulumiPolicy.yaml sets runtime.options.production). The installed pack
// is then started through the offline checker and must give exactly the findings of the working tree's pack.
// Needs the npm registry; skipped (with a message) only when the registry cannot be reached.
import * as assert from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
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

describe("publish: the npm-packed pack, installed for production as enforcement does", function () {
    this.timeout(300000);
    let tmp = "";
    let packDir = "";
    let tarballFiles: string[] = [];

    before(async function () {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "msg-publish-"));
        const packed = await run("npm", ["pack", "--json", "--pack-destination", tmp], root, 120000);
        assert.strictEqual(packed.code, 0, `npm pack failed: ${packed.stderr.slice(-2000)}`);
        const info = JSON.parse(packed.stdout.slice(packed.stdout.indexOf("[")))[0];
        tarballFiles = info.files.map((f: { path: string }) => f.path).sort();
        const untar = await run("tar", ["xzf", path.join(tmp, info.filename), "-C", tmp], tmp, 60000);
        assert.strictEqual(untar.code, 0, `tar failed: ${untar.stderr}`);
        packDir = path.join(tmp, "package");
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

    it("the tarball holds the compiled pack, PulumiPolicy.yaml, README and package.json, nothing else", () => {
        const outside = tarballFiles.filter((f) => !f.startsWith("dist/policies/"));
        assert.deepStrictEqual(outside, ["PulumiPolicy.yaml", "README.md", "package.json"]);
        assert.ok(tarballFiles.includes("dist/policies/index.js"), "the pack's main");
        assert.ok(!tarballFiles.some((f) => f.endsWith(".ts") || f.startsWith("dist/test/") || f.startsWith("dist/checker/")));
        assert.ok(!tarballFiles.includes("package-lock.json"), "package-lock.json is never packed");
    });

    it("the production install holds no provider SDK and no development tool", async () => {
        const nm = path.join(packDir, "node_modules");
        const names = installedPackages(nm);
        assert.ok(names.has("@pulumi/policy") && names.has("@pulumi/pulumi"), "runtime dependencies installed");
        const forbidden = ["@pulumi/aws", "@pulumi/gcp", "@pulumi/azure-native", "@pulumi/vault", "@pulumi/random",
            "mocha", "ajv", "fast-check", "@types/mocha"];
        assert.deepStrictEqual(forbidden.filter((n) => names.has(n)), []);
        // typescript: npm keeps a root devDependency that a production package also declares as an optional peer
        // (@pulumi/pulumi: typescript ">= 3.8.3 < 7") even under --production. It is allowed only for that reason:
        // no production package may depend on it in any other way.
        if (names.has("typescript")) {
            const explained = await run("npm", ["explain", "typescript", "--json"], packDir, 60000);
            const doc = JSON.parse(explained.stdout);
            const edges = (doc as any[]).flatMap((n) => n.dependents as any[])
                .map((d) => `${d.type} from ${d.from?.name ?? "(root)"}`).sort();
            assert.deepStrictEqual(edges, ["dev from (root)", "peerOptional from @pulumi/pulumi"],
                "typescript is in the production install only through @pulumi/pulumi's optional peer");
        }
        const size = async (dir: string): Promise<string> => {
            // `du -sk` (disk usage, as an operator sees it); the sum of file sizes where du is missing.
            const du = await run("du", ["-sk", dir], packDir, 60000).catch(() => undefined);
            const kb = du && du.code === 0 ? Number(du.stdout.split(/\s/)[0]) : duKb(dir);
            return `${(kb / 1024).toFixed(1)} MiB`;
        };
        const ts = names.has("typescript")
            ? ` (of which typescript, kept by npm as @pulumi/pulumi's optional peer: ${await size(path.join(nm, "typescript"))})` : "";
        console.log(`      production install: ${names.size} packages, du of node_modules ${await size(nm)}${ts}`);
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
});
