// Starts a Node.js policy pack as the Pulumi CLI does (pulumi-analyzer-policy -> @pulumi/pulumi/cmd/run-policy-pack
// with cwd = pack dir and the environment of Go's constructEnv), and runs the small Engine gRPC service whose address
// the CLI passes as the first argument.
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PackStartError } from "../errors";

export { PackStartError };

const MAX_STDERR_SHOWN = 4000;

export function truncate(s: string, n = MAX_STDERR_SHOWN): string {
    const t = s.trim();
    return t.length <= n ? t : t.slice(0, n) + `\n... (${t.length - n} more characters)`;
}

export interface PolicyProject {
    dir: string;
    version?: string;
    runtimeOptions: Record<string, unknown>;
}

export function readPolicyProject(packDir: string, yaml: { load(s: string): unknown }): PolicyProject {
    const dir = path.resolve(packDir);
    const file = path.join(dir, "PulumiPolicy.yaml");
    if (!fs.existsSync(file)) throw new PackStartError(`no PulumiPolicy.yaml in ${dir}`);
    const doc = (yaml.load(fs.readFileSync(file, "utf8")) ?? {}) as Record<string, any>;
    const rt = doc.runtime;
    const name = typeof rt === "string" ? rt : rt?.name;
    if (name !== "nodejs") throw new PackStartError(`${file}: runtime "${name}" is not supported (nodejs only)`);
    const version = doc.version === undefined || doc.version === null ? undefined : String(doc.version);
    return { dir, version, runtimeOptions: (typeof rt === "object" && rt?.options) || {} };
}

/** The @pulumi/pulumi the checker itself speaks gRPC with. */
export function ownPulumiDir(): string {
    return path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [__dirname] }));
}

export function grpcOf(pulumiDir: string): any {
    return require(require.resolve("@grpc/grpc-js", { paths: [pulumiDir] }));
}

export interface EngineServer {
    address: string;
    stop(): void;
}

/** Loopback Engine service: pack log messages go to stderr. */
export async function startEngineServer(pulumiDir: string, onLog: (line: string) => void): Promise<EngineServer> {
    const grpc = grpcOf(pulumiDir);
    const engrpc = require(path.join(pulumiDir, "proto", "engine_grpc_pb"));
    const engproto = require(path.join(pulumiDir, "proto", "engine_pb"));
    const emptyproto = require(require.resolve("google-protobuf/google/protobuf/empty_pb", { paths: [pulumiDir] }));
    const severities = ["debug", "info", "warning", "error"];
    let root = "";
    const server = new grpc.Server();
    server.addService(engrpc.EngineService, {
        log: (call: any, cb: any) => {
            const r = call.request;
            const sev = severities[r.getSeverity()] ?? "info";
            if (sev !== "debug") onLog(`policy pack ${sev}: ${r.getMessage()}${r.getUrn() ? ` (${r.getUrn()})` : ""}`);
            cb(null, new emptyproto.Empty());
        },
        getRootResource: (_call: any, cb: any) => {
            const resp = new engproto.GetRootResourceResponse();
            resp.setUrn(root);
            cb(null, resp);
        },
        setRootResource: (call: any, cb: any) => {
            root = call.request.getUrn();
            cb(null, new engproto.SetRootResourceResponse());
        },
    });
    const port: number = await new Promise((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err: Error | null, p: number) =>
            err ? reject(err) : resolve(p)));
    return { address: `127.0.0.1:${port}`, stop: () => server.forceShutdown() };
}

export interface PackEnv {
    config: Record<string, string>;
    project: string;
    stack: string;
    organization: string;
    dryRun: boolean;
}

/** Go's constructEnv: PULUMI_CONFIG and the PULUMI_NODEJS_* / PULUMI_* variables, empty values omitted. */
export function packEnvironment(e: PackEnv, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...base };
    // Our own runner's variables must not leak into the pack as if they came from the CLI.
    delete env.PULUMI_CONFIG;
    delete env.PULUMI_CONFIG_SECRET_KEYS;
    const set = (k: string, v: string) => {
        if (v !== "") env[k] = v;
    };
    if (Object.keys(e.config).length) set("PULUMI_CONFIG", JSON.stringify(e.config));
    set("PULUMI_NODEJS_ORGANIZATION", e.organization);
    set("PULUMI_NODEJS_PROJECT", e.project);
    set("PULUMI_NODEJS_STACK", e.stack);
    set("PULUMI_NODEJS_DRY_RUN", String(e.dryRun));
    set("PULUMI_ORGANIZATION", e.organization);
    set("PULUMI_PROJECT", e.project);
    set("PULUMI_STACK", e.stack);
    set("PULUMI_DRY_RUN", String(e.dryRun));
    return env;
}

export interface RunningPack {
    port: number;
    process: ChildProcess;
    stderr(): string;
    kill(): void;
}

export async function startPack(project: PolicyProject, engineAddress: string, env: NodeJS.ProcessEnv,
    onStderr: (chunk: string) => void, timeoutMs = 120000): Promise<RunningPack> {
    let script: string;
    try {
        script = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [project.dir] });
    } catch {
        throw new PackStartError(`it looks like the policy pack's dependencies are not installed; ` +
            `try running npm install in ${project.dir}`);
    }
    const args = [script, engineAddress, "."];
    for (const [k, v] of Object.entries(project.runtimeOptions)) {
        const s = v === null || v === undefined ? "" : String(v);
        if (s !== "") args.push(`-${k}=${s}`);
    }
    const child = spawn(process.execPath, args, { cwd: project.dir, env, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    // Before the port is known, stderr is only collected (a failure message shows it); after, it is forwarded.
    let forwarding = false;
    child.stderr!.setEncoding("utf8");
    child.stderr!.on("data", (d: string) => {
        stderr += d;
        if (stderr.length > 1_000_000) stderr = stderr.slice(-500_000);
        if (forwarding) onStderr(d);
    });
    const kill = () => {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    };
    const port = await new Promise<number>((resolve, reject) => {
        let out = "";
        let settled = false;
        const finish = (err: Error | null, p?: number) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            if (err) {
                kill();
                reject(err);
            } else resolve(p!);
        };
        const timer = setTimeout(() => finish(new PackStartError(
            `the policy pack did not report its port within ${timeoutMs / 1000}s` + tail(stderr))), timeoutMs);
        child.stdout!.setEncoding("utf8");
        child.stdout!.on("data", (d: string) => {
            if (settled) return;
            out += d;
            const nl = out.indexOf("\n");
            if (nl < 0) return;
            const first = out.slice(0, nl).trim();
            if (/^\d+$/.test(first) && Number(first) > 0 && Number(first) < 65536) finish(null, Number(first));
            else finish(new PackStartError(`the policy pack wrote to stdout before its port: ${JSON.stringify(truncate(first, 200))}` + tail(stderr)));
        });
        child.on("error", (e) => finish(new PackStartError(`could not start the policy pack: ${e.message}`)));
        child.on("exit", (code, signal) => {
            // Give stderr a moment to drain so the message shows why.
            setTimeout(() => finish(new PackStartError(
                `the policy pack exited (${signal ?? `code ${code}`}) before reporting its port` + tail(stderr))), 50);
        });
    });
    if (stderr) onStderr(stderr);
    forwarding = true;
    // Keep draining stdout after the port line (the pack may print more); never interpret it.
    child.stdout!.on("data", () => undefined);
    return { port, process: child, stderr: () => stderr, kill };
}

function tail(stderr: string): string {
    return stderr.trim() ? `\npolicy pack stderr:\n${truncate(stderr)}` : "";
}
