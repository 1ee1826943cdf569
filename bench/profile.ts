// CPU profiles behind the targets that RESULTS.md shows as missed: `node dist/bench/profile.js [mode...]`
// (modes: scan, props, walker, jwt, analyze, stack; default all). In-process workloads run in a child started with
// `node --cpu-prof`; the pack is started as the CLI does (same script, arguments, cwd and environment) with
// node --cpu-prof before the script, and its samples are ranked
// within the window of the phase being examined. Prints rankings and writes bench/PROFILES.md. Figures only.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { FORMAT_DETECTORS, findCredentialFormats } from "../policies/detection";
import { scanProps } from "../policies/detection/scan";
import { Wire } from "../policies/lib/wire";
import { nowUs, printRanking, rank } from "./lib/cpuprofile";
import { analyzeAll, analyzeRequest, analyzeStackRequest, configure, launch, REPO, SCRATCH, serialized, stopEngine } from "./lib/harness";
import { k8sManifests, policyDocuments, Rng, synthStack } from "./lib/synthetic";

const OURS = /dist\/policies\//;
const PROFILES = path.join(SCRATCH, "profiles");

function newest(dir: string, since: number): string {
    const files = fs.readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"))
        .map((f) => ({ f: path.join(dir, f), t: fs.statSync(path.join(dir, f)).mtimeMs })).filter((x) => x.t >= since)
        .sort((a, b) => b.t - a.t);
    if (!files.length) throw new Error(`no .cpuprofile written in ${dir}`);
    return files[0].f;
}

/** In-process workloads, run in the --cpu-prof child. */
function workload(name: string): void {
    const rng = new Rng(12345);
    if (name === "scan") {
        const props = synthStack(3000, rng).slice(1).map((r) => ({ type: r.type, props: r.inputs as Wire }));
        const docs = [policyDocuments(1 << 20, rng), k8sManifests(1 << 20, rng)];
        for (let i = 0; i < 10; i++) {
            for (const p of props) scanProps(p.type, p.props);
            for (const d of docs) scanProps("kubernetes:yaml:ConfigGroup", { document: d });
        }
    } else if (name === "props") {
        // The scanner bench's short-strings row alone: 3,000 resources' inputs, flat as they come off the wire.
        const stack = synthStack(3000, rng).slice(1).map((r) => ({ type: r.type, props: r.inputs }));
        const props = JSON.parse(JSON.stringify(stack)) as { type: string; props: Wire }[];
        for (let i = 0; i < 200; i++) for (const p of props) scanProps(p.type, p.props);
    } else if (name === "walker") {
        const p = { p: JSON.stringify(Array.from({ length: 1 << 18 }, () => "a")) };
        for (let i = 0; i < 5; i++) scanProps("bench:index:Wide", p);
    } else if (name === "jwt") {
        const s = "eyJhIjoxfQ.e30. ".repeat(65536);
        const disabled = new Set(FORMAT_DETECTORS.map((d) => d.id).filter((id) => id !== "jwt"));
        for (let i = 0; i < 30; i++) findCredentialFormats(s, { disabled });
    } else {
        throw new Error(`unknown workload ${name}`);
    }
}

function inProcess(name: string): string {
    const dir = path.join(PROFILES, name);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const t = Date.now() - 1000;
    const r = spawnSync(process.execPath, ["--cpu-prof", `--cpu-prof-dir=${dir}`, "--cpu-prof-interval=200", __filename, "--workload", name],
        { stdio: ["ignore", "inherit", "inherit"] });
    if (r.status !== 0) throw new Error(`workload ${name} failed (${r.status ?? r.signal})`);
    return printRanking(`${name} (in-process workload, whole run)`, rank(newest(dir, t), REPO), 15, OURS);
}

/** node options for a profiled pack (Node 20 refuses --cpu-prof in NODE_OPTIONS, so they go on the command line). */
function profArgs(dir: string): string[] {
    return ["--cpu-prof", `--cpu-prof-dir=${dir}`, "--cpu-prof-interval=200", `--require=${path.join(__dirname, "lib", "exit-on-sigterm.js")}`];
}

async function inPack(name: "analyze" | "stack"): Promise<string> {
    const dir = path.join(PROFILES, name);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const t = Date.now() - 1000;
    const size = name === "stack" ? 10000 : 500;
    const stack = synthStack(size, new Rng(12345));
    const reqs = stack.map((r) => serialized(analyzeRequest(r)));
    const pack = await launch("ml-secrets-guard", REPO, {}, profArgs(dir));
    const windows: [string, number, number][] = [];
    try {
        await configure(pack);
        if (name === "analyze") {
            await analyzeAll(pack, reqs, 1); // warm-up
            const a = nowUs();
            for (let i = 0; i < 5; i++) await analyzeAll(pack, reqs, 1);
            windows.push(["Analyze, 5 passes of 500 resources, one at a time", a, nowUs()]);
        } else {
            const a = nowUs();
            await analyzeAll(pack, reqs, 8);
            const b = nowUs();
            const stackReq = serialized(analyzeStackRequest(stack));
            const c = nowUs();
            await pack.call("analyzeStack", stackReq);
            const d = nowUs();
            windows.push(["Analyze of 10,000 resources (8 in flight)", a, b], ["AnalyzeStack of 10,000 resources", c, d]);
        }
    } finally {
        await pack.stop();
    }
    const file = newest(dir, t);
    return windows.map(([title, from, to]) => printRanking(`${title} (pack process)`, rank(file, REPO, [from, to]), 15, OURS)).join("\n\n");
}

async function main(): Promise<void> {
    const i = process.argv.indexOf("--workload");
    if (i > 0) return workload(process.argv[i + 1]);
    const all = ["scan", "props", "walker", "jwt", "analyze", "stack"];
    const modes = process.argv.slice(2).length ? process.argv.slice(2) : all;
    const out: string[] = [];
    try {
        for (const m of modes) {
            process.stderr.write(`[profile ${m}] ...\n`);
            const text = m === "analyze" || m === "stack" ? await inPack(m) : inProcess(m);
            process.stdout.write(text + "\n\n");
            out.push("```text\n" + text + "\n```");
        }
    } finally {
        stopEngine();
    }
    if (modes.length === all.length) {
        fs.writeFileSync(path.join(REPO, "bench", "PROFILES.md"), [
            "# CPU profiles", "",
            `Produced by \`node dist/bench/profile.js\` (node --cpu-prof, 200 µs sampling) on ${new Date().toISOString().slice(0, 10)}. ` +
            "Function names are followed by the compiled file and line (dist/ mirrors the TypeScript sources).", "",
            ...out.flatMap((s) => [s, ""]),
        ].join("\n"));
    }
}

main().catch((e) => {
    process.stderr.write(`profile failed: ${e?.stack ?? e}\n`);
    process.exit(1);
});
