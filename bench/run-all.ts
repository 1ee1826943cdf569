// `npm run bench`: every performance benchmark of the policy pack, through the real runner and the Analyzer
// protocol. Prints a table and writes bench/RESULTS.md with the machine's details. Figures only: nothing here asserts
// a timing. Run a subset with `node dist/bench/run-all.js start analyze scale scanner worst footprint realistic` (a
// subset prints its table and does not rewrite RESULTS.md).
import * as fs from "fs";
import * as path from "path";
import { performance } from "perf_hooks";
import { REPO, SCRATCH, stopEngine } from "./lib/harness";
import { awsguard, compliancePolicies, Peer } from "./lib/peers";
import { machine, SectionResult, sourceState, textTable, writeResults } from "./lib/report";
import { analyzeOverhead } from "./sections/analyze";
import { footprint } from "./sections/footprint";
import { realisticDetection } from "./sections/realistic-detection";
import { scale } from "./sections/scale";
import { scanner } from "./sections/scanner";
import { startTime } from "./sections/start-time";
import { worstCase } from "./sections/worst-case";

const ALL = ["start", "analyze", "scale", "scanner", "worst", "footprint", "realistic"];

function log(s: string): void {
    process.stderr.write(s + "\n");
}

async function main(): Promise<void> {
    const asked = process.argv.slice(2).filter((a) => !a.startsWith("-"));
    const unknown = asked.filter((a) => !ALL.includes(a));
    if (unknown.length) throw new Error(`unknown section(s) ${unknown.join(", ")}; known: ${ALL.join(", ")}`);
    const want = new Set(asked.length ? asked : ALL);
    const started = new Date();
    const source = sourceState(REPO);
    const t0 = performance.now();
    fs.mkdirSync(SCRATCH, { recursive: true });
    log(`machine: ${Object.entries(machine()).map(([k, v]) => `${k} ${v}`).join("; ")}`);

    let peers: Peer[] = [];
    if (want.has("start") || want.has("footprint")) peers = [awsguard(log), compliancePolicies()];

    const sections: SectionResult[] = [];
    const run = async (name: string, f: () => Promise<SectionResult> | SectionResult) => {
        if (!want.has(name)) return;
        const s0 = performance.now();
        log(`[${name}] ...`);
        sections.push(await f());
        log(`[${name}] ${((performance.now() - s0) / 1000).toFixed(1)} s`);
    };
    try {
        await run("start", () => startTime(peers, 11, log));
        await run("analyze", () => analyzeOverhead(500, 15, log));
        await run("scale", () => scale([{ size: 100, runs: 5 }, { size: 1000, runs: 5 }, { size: 10000, runs: 5 }], log));
        await run("scanner", () => scanner(21, log));
        await run("worst", () => worstCase(3, log));
        await run("footprint", () => footprint(peers, log));
        await run("realistic", () => realisticDetection(4, log));
    } finally {
        stopEngine();
    }
    const seconds = (performance.now() - t0) / 1000;
    process.stdout.write("\n" + textTable(sections) + "\n\n");
    for (const s of sections) for (const n of s.notes) if (/not measured/.test(n)) process.stdout.write(`${s.title}: ${n}\n`);
    if (want.size === ALL.length) {
        const file = path.join(REPO, "bench", "RESULTS.md");
        writeResults(file, sections, { started, seconds, command: "npm run bench", source });
        process.stdout.write(`\nwrote ${path.relative(process.cwd(), file)} (${seconds.toFixed(0)} s)\n`);
    } else {
        process.stdout.write(`(subset run in ${seconds.toFixed(0)} s: bench/RESULTS.md not rewritten)\n`);
    }
}

main().catch((e) => {
    process.stderr.write(`bench failed: ${e?.stack ?? e}\n`);
    process.exit(1);
});
