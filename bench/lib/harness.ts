// Starts policy packs exactly as the offline checker (and so the Pulumi CLI) does, and speaks the Analyzer protocol
// to them with the checker's own @pulumi/pulumi protos. Benchmarks only: nothing here asserts a timing.
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { performance } from "perf_hooks";
import {
    EngineServer, ownPulumiDir, packEnvironment, PolicyProject, readPolicyProject, RunningPack, startEngineServer, startPack,
} from "../../checker/engine/pack";
import { buildPolicyConfig } from "../../checker/policy-config";
import { EnforcementLevel, PolicyInfo } from "../../checker/types";
import { defaultResourceOptions, stackResourceMessage } from "../../checker/engine/messages";

/** The repository root (dist/bench/lib -> ../../..). */
export const REPO = path.resolve(__dirname, "..", "..", "..");
export const SCRATCH = path.join(REPO, "bench", ".scratch");
export const NOOP_PACK = path.join(REPO, "bench", "packs", "noop");

export interface Protos {
    grpc: any;
    rpc: any;
    pb: any;
    struct: any;
    empty: any;
}

let protos: Protos | undefined;

export function loadProtos(): Protos {
    if (protos) return protos;
    const dir = ownPulumiDir();
    protos = {
        grpc: require(require.resolve("@grpc/grpc-js", { paths: [dir] })),
        rpc: require(path.join(dir, "proto", "analyzer_grpc_pb")),
        pb: require(path.join(dir, "proto", "analyzer_pb")),
        struct: require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [dir] })),
        empty: require(require.resolve("google-protobuf/google/protobuf/empty_pb", { paths: [dir] })),
    };
    return protos;
}

function yamlModule(): { load(s: string): unknown } {
    return require(require.resolve("js-yaml", { paths: [ownPulumiDir()] }));
}

let engine: EngineServer | undefined;
/** Log lines the packs sent to the engine (counted, never printed: they could quote resource properties). */
export let engineLogLines = 0;

export async function sharedEngine(): Promise<EngineServer> {
    if (!engine) engine = await startEngineServer(ownPulumiDir(), () => { engineLogLines++; });
    return engine;
}

export function stopEngine(): void {
    engine?.stop();
    engine = undefined;
}

export interface Pack {
    name: string;
    project: PolicyProject;
    running: RunningPack;
    pid: number;
    /** Milliseconds from spawn to the port line. */
    startMs: number;
    call<T = any>(method: string, req: unknown): Promise<T>;
    /** Peak resident set size of the pack process so far, in bytes (VmHWM). */
    peakRss(): number;
    stop(): Promise<void>;
}

export function project(dir: string): PolicyProject {
    return readPolicyProject(dir, yamlModule());
}

const STACK = { config: {}, project: "bench", stack: "dev", organization: "organization", dryRun: true };

/**
 * startPack's spawn with extra node options before the script (`--cpu-prof` is refused in NODE_OPTIONS), for
 * profiling only; the benchmarks themselves use startPack.
 */
async function startPackWithNodeArgs(proj: PolicyProject, engineAddress: string, env: NodeJS.ProcessEnv, nodeArgs: string[]): Promise<RunningPack> {
    const script = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [proj.dir] });
    const args = [...nodeArgs, script, engineAddress, "."];
    for (const [k, v] of Object.entries(proj.runtimeOptions)) {
        const s = v === null || v === undefined ? "" : String(v);
        if (s !== "") args.push(`-${k}=${s}`);
    }
    const child = spawn(process.execPath, args, { cwd: proj.dir, env, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr!.setEncoding("utf8");
    child.stderr!.on("data", (d: string) => { stderr = (stderr + d).slice(-100000); });
    const kill = () => { if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL"); };
    const port = await new Promise<number>((resolve, reject) => {
        let out = "";
        child.stdout!.setEncoding("utf8");
        child.stdout!.on("data", (d: string) => {
            out += d;
            const nl = out.indexOf("\n");
            if (nl < 0) return;
            const line = out.slice(0, nl).trim();
            if (/^\d+$/.test(line)) resolve(Number(line));
            else reject(new Error("no port line"));
        });
        child.on("exit", (code) => reject(new Error(`pack exited (${code}) before its port: ${stderr.slice(-2000)}`)));
    });
    child.stdout!.on("data", () => undefined);
    return { port, process: child, stderr: () => stderr, kill };
}

/** Spawns the pack as the CLI does and times spawn-to-port. */
export async function launch(name: string, dir: string, extraEnv: NodeJS.ProcessEnv = {}, nodeArgs: string[] = []): Promise<Pack> {
    const p = loadProtos();
    const eng = await sharedEngine();
    const proj = project(dir);
    const env = packEnvironment(STACK, { ...process.env, ...extraEnv });
    const t0 = performance.now();
    const running = nodeArgs.length
        ? await startPackWithNodeArgs(proj, eng.address, env, nodeArgs)
        : await startPack(proj, eng.address, env, () => undefined);
    const startMs = performance.now() - t0;
    const client = new p.rpc.AnalyzerClient(`127.0.0.1:${running.port}`, p.grpc.credentials.createInsecure(), {
        "grpc.max_receive_message_length": 400 * 1024 * 1024,
        "grpc.max_send_message_length": 400 * 1024 * 1024,
    });
    const pid = running.process.pid!;
    return {
        name,
        project: proj,
        running,
        pid,
        startMs,
        call: (method, req) => new Promise((resolve, reject) => {
            const cb = (err: any, resp: any) => (err ? reject(err) : resolve(resp));
            if (Buffer.isBuffer(req)) {
                // Pre-serialized (see serialized()): the client's own protobuf encoding stays out of the timings.
                const def = p.rpc.AnalyzerService[method];
                client.makeUnaryRequest(def.path, (b: Buffer) => b, def.responseDeserialize, req, cb);
            } else {
                client[method](req, cb);
            }
        }),
        peakRss: () => vmHwm(pid),
        stop: async () => {
            client.close();
            const child = running.process;
            if (child.exitCode !== null || child.signalCode !== null) return;
            const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
            // SIGTERM lets a --cpu-prof pack write its profile; SIGKILL if it lingers.
            child.kill("SIGTERM");
            const timer = setTimeout(() => running.kill(), 10000);
            await exited;
            clearTimeout(timer);
        },
    };
}

export function vmHwm(pid: number): number {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    return m ? Number(m[1]) * 1024 : NaN;
}

const LEVELS: EnforcementLevel[] = ["advisory", "mandatory", "disabled", "remediate"];
const LEVEL_ENUM: Record<EnforcementLevel, number> = { advisory: 0, mandatory: 1, disabled: 2, remediate: 3 };

/**
 * The CLI's opening sequence: Handshake (tolerated unimplemented), ConfigureStack, GetPluginInfo, GetAnalyzerInfo,
 * and Configure with every policy's level and schema defaults (as `pulumi preview` with no --policy-pack-config).
 */
export async function configure(pack: Pack): Promise<number> {
    const p = loadProtos();
    const hs = new p.pb.AnalyzerHandshakeRequest();
    hs.setEngineAddress((await sharedEngine()).address);
    hs.setRootDirectory(pack.project.dir);
    hs.setProgramDirectory(pack.project.dir);
    await pack.call("handshake", hs).catch(() => undefined);
    const cs = new p.pb.AnalyzerStackConfigureRequest();
    cs.setStack(STACK.stack);
    cs.setProject(STACK.project);
    cs.setOrganization(STACK.organization);
    cs.setDryRun(STACK.dryRun);
    await pack.call("configureStack", cs).catch((e: any) => {
        if (e?.code !== p.grpc.status.UNIMPLEMENTED) throw e;
    });
    await pack.call("getPluginInfo", new p.empty.Empty());
    const info: any = await pack.call("getAnalyzerInfo", new p.empty.Empty());
    const policies: PolicyInfo[] = info.getPoliciesList().map((pi: any) => {
        const schema = pi.getConfigschema();
        return {
            name: pi.getName(),
            description: pi.getDescription(),
            enforcementLevel: LEVELS[pi.getEnforcementlevel()],
            configSchema: schema ? {
                properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>,
                required: schema.getRequiredList().length ? schema.getRequiredList() : undefined,
            } : undefined,
        };
    });
    const cfg = buildPolicyConfig(policies, undefined);
    if (Object.keys(cfg).length) {
        const req = new p.pb.ConfigureAnalyzerRequest();
        for (const [name, entry] of Object.entries(cfg)) {
            const pc = new p.pb.PolicyConfig();
            pc.setEnforcementlevel(LEVEL_ENUM[entry.enforcementLevel]);
            pc.setProperties(p.struct.Struct.fromJavaScript(entry.properties ?? {}));
            req.getPolicyconfigMap().set(name, pc);
        }
        await pack.call("configure", req);
    }
    return policies.length;
}

// ---------------------------------------------------------------------------------------------------------------
// Requests

export interface SynthResource {
    urn: string;
    type: string;
    name: string;
    /** Wire-form inputs (secret wrappers and unknown sentinels as the engine sends them). */
    inputs: Record<string, unknown>;
    /** Wire-form outputs. */
    outputs: Record<string, unknown>;
    parent?: string;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
}

function options(withParent: string | undefined): any {
    return defaultResourceOptions(loadProtos().pb, withParent);
}

export function analyzeRequest(r: SynthResource): any {
    const p = loadProtos();
    const req = new p.pb.AnalyzeRequest();
    req.setUrn(r.urn);
    req.setType(r.type);
    req.setName(r.name);
    req.setProperties(p.struct.Struct.fromJavaScript(r.inputs));
    req.setOptions(options(r.parent));
    return req;
}

export function analyzeStackRequest(rs: SynthResource[]): any {
    const p = loadProtos();
    const req = new p.pb.AnalyzeStackRequest();
    for (const r of rs) {
        req.addResources(stackResourceMessage(p.pb, {
            urn: r.urn, type: r.type, name: r.name, properties: p.struct.Struct.fromJavaScript(r.outputs),
            options: options(undefined), parent: r.parent, dependencies: r.dependencies, propertyDependencies: r.propertyDependencies,
        }));
    }
    return req;
}

/**
 * A request encoded once, up front. The engine is Go and encodes fast; google-protobuf in this process takes about
 * as long to encode a 10,000-resource AnalyzeStack as the pack takes to answer it, so timings send bytes.
 */
export function serialized(req: any): Buffer {
    return Buffer.from(req.serializeBinary());
}

/** Sends Analyze for every request with at most `concurrency` in flight (the engine's parallel registrations). */
export async function analyzeAll(pack: Pack, reqs: any[], concurrency = 1): Promise<number> {
    let next = 0;
    let diagnostics = 0;
    const worker = async () => {
        while (next < reqs.length) {
            const req = reqs[next++];
            const resp: any = await pack.call("analyze", req);
            diagnostics += resp.getDiagnosticsList().length;
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
    return diagnostics;
}
