// Runs a Pulumi Node.js program in this process against the capture monitor, using the program's own
// @pulumi/pulumi (so program and runner share one runtime) and its own root-stack machinery (runInPulumiStack),
// as the Node.js language host does.
import * as fs from "fs";
import * as path from "path";
import { CaptureMonitor, ROOT_STACK_TYPE } from "./monitor";
import { ProjectInfo, pulumiPackageDir, StackConfig, UsageError } from "./project";
import { RunResult } from "./types";
import { ProgramError } from "../errors";

export { ProgramError };

export interface RunOptions {
    project: ProjectInfo;
    stack: string;
    organization?: string;
    dryRun: boolean;
    config: StackConfig;
    /** This package's root, a fallback place to find `typescript`. */
    selfDir: string;
}

/** The program's typescript, else this package's, else the one @pulumi/pulumi vendors (through its shim). */
export function loadTypeScript(programDir: string, selfDir: string, pulumiDir: string): any {
    for (const from of [programDir, selfDir]) {
        try {
            return require(require.resolve("typescript", { paths: [from] }));
        } catch {
            /* next */
        }
    }
    return require(path.join(pulumiDir, "typescript-shim"));
}

let tsHookInstalled = false;

function installTsHook(ts: any): void {
    if (tsHookInstalled) return;
    tsHookInstalled = true;
    // Error locations in the program's own .ts lines (inline source maps below).
    (process as any).setSourceMapsEnabled?.(true);
    const exts = (require as any).extensions as Record<string, (m: any, filename: string) => void>;
    exts[".ts"] = (m: any, filename: string) => {
        const source = fs.readFileSync(filename, "utf8");
        const out = ts.transpileModule(source, {
            fileName: filename,
            compilerOptions: {
                module: ts.ModuleKind.CommonJS,
                target: ts.ScriptTarget.ES2020,
                esModuleInterop: true,
                inlineSourceMap: true,
                inlineSources: false,
            },
        });
        m._compile(out.outputText, filename);
    };
}

/** The file to require: Pulumi.yaml's `main` (file or directory), else the program directory's index. */
export function resolveMain(project: ProjectInfo): string {
    const base = project.main ? path.resolve(project.dir, project.main) : project.dir;
    if (fs.existsSync(base) && fs.statSync(base).isFile()) return base;
    if (!fs.existsSync(base)) throw new UsageError(`program main ${base} does not exist`);
    const pkgFile = path.join(base, "package.json");
    if (fs.existsSync(pkgFile)) {
        try {
            const main = JSON.parse(fs.readFileSync(pkgFile, "utf8")).main;
            if (typeof main === "string") {
                const candidate = path.resolve(base, main);
                for (const c of [candidate, candidate + ".ts", candidate + ".js", path.join(candidate, "index.ts"), path.join(candidate, "index.js")]) {
                    if (fs.existsSync(c) && fs.statSync(c).isFile()) return c;
                }
            }
        } catch {
            /* fall through to index */
        }
    }
    for (const f of ["index.ts", "index.js"]) {
        const c = path.join(base, f);
        if (fs.existsSync(c)) return c;
    }
    throw new UsageError(`no index.ts or index.js in ${base}`);
}

function describeError(err: unknown, programDir: string): string {
    if (!(err instanceof Error)) return String(err);
    const lines = (err.stack ?? "").split("\n").slice(1);
    const where = lines.find((l) => l.includes(programDir) && !l.includes("node_modules"));
    const msg = err.message || err.name;
    return where ? `${msg}\n    ${where.trim()}` : msg;
}

export async function runProgram(opts: RunOptions): Promise<RunResult> {
    const { project, stack, dryRun, config } = opts;
    const organization = opts.organization ?? "organization";
    const pulumiDir = pulumiPackageDir(project.dir);
    const mainFile = resolveMain(project);

    // Config as the language host passes it, before anything of the runtime loads.
    process.env.PULUMI_CONFIG = JSON.stringify(config.values);
    process.env.PULUMI_CONFIG_SECRET_KEYS = JSON.stringify(config.secretKeys);
    process.env.PULUMI_NODEJS_PROJECT = project.name;
    process.env.PULUMI_NODEJS_STACK = stack;
    process.env.PULUMI_NODEJS_ORGANIZATION = organization;
    process.env.PULUMI_NODEJS_DRY_RUN = String(dryRun);

    const settings = require(path.join(pulumiDir, "runtime", "settings"));
    const state = require(path.join(pulumiDir, "runtime", "state"));
    const runtimeConfig = require(path.join(pulumiDir, "runtime", "config"));
    const stackMod = require(path.join(pulumiDir, "runtime", "stack"));
    const log = require(path.join(pulumiDir, "log"));

    const monitor = new CaptureMonitor(pulumiDir, {
        project: project.name, stack, dryRun, config: config.values, secretKeys: config.secretKeys,
    });
    settings.setMockOptions(monitor, project.name, stack, dryRun, organization);
    runtimeConfig.setAllConfig(config.values, config.secretKeys);
    const store = state.getStore();
    store.supportsSecrets = true;
    store.supportsResourceReferences = true;
    store.supportsOutputValues = false;
    store.supportsDeletedWith = true;
    store.supportsReplaceWith = true;
    store.supportsAliasSpecs = true;
    store.supportsTransforms = false;
    store.supportsParameterization = true;
    store.supportsResourceHooks = false;
    store.supportsErrorHooks = false;

    installTsHook(loadTypeScript(project.dir, opts.selfDir, pulumiDir));

    // Errors raised on later turns (inside apply callbacks, failed registrations) fail the run, as with the host.
    const late: unknown[] = [];
    const onLate = (e: unknown) => late.push(e);
    process.on("unhandledRejection", onLate);
    process.on("uncaughtException", onLate);
    const cwd = process.cwd();
    process.chdir(project.dir);
    // The program's console output is diagnostics, as with the language host; our stdout carries the report.
    const stdoutWrite = process.stdout.write;
    process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
    try {
        await stackMod.runInPulumiStack(async () => {
            const exported = require(mainFile);
            return exported instanceof Function ? await exported() : exported;
        });
        await settings.waitForRPCs();
    } catch (e) {
        throw new ProgramError(describeError(e, project.dir));
    } finally {
        process.stdout.write = stdoutWrite;
        process.chdir(cwd);
        process.off("unhandledRejection", onLate);
        process.off("uncaughtException", onLate);
    }
    if (late.length) throw new ProgramError(describeError(late[0], project.dir));
    if (log.hasErrors()) throw new ProgramError("the program logged errors (see above)");

    const root = monitor.rootStack;
    if (!root) throw new ProgramError("the program did not register the root stack resource");
    if (root.type !== ROOT_STACK_TYPE) throw new ProgramError("unexpected root resource");
    return {
        project: project.name,
        stack,
        organization,
        dryRun,
        config: config.values,
        secretKeys: config.secretKeys,
        resources: monitor.resources,
        stackOutputs: root.outputs,
    };
}
