// 3. Scale: AnalyzeStack of 100 / 1,000 / 10,000 resources, time and peak RSS of the pack process, vs no-op.
// Analyze is sent for every resource first (our pack records candidates there and confirms them in AnalyzeStack).
import { performance } from "perf_hooks";
import { analyzeAll, analyzeRequest, analyzeStackRequest, configure, launch, NOOP_PACK, REPO, serialized } from "../lib/harness";
import { fmt, fmtBytes, median, metIf, pairedRatio, ratio, Row, SectionResult } from "../lib/report";
import { synthStack } from "../lib/synthetic";

export interface ScaleFigures {
    size: number;
    stackMs: Record<string, number[]>;
    analyzeMs: Record<string, number[]>;
    peak: Record<string, number[]>;
    diagnostics: Record<string, number>;
    /** Client-side protobuf encoding of the AnalyzeStack request (done once, outside the timings). */
    encodeMs: number;
    requestBytes: number;
}

const PACKS = [{ name: "ml-secrets-guard", dir: REPO }, { name: "no-op", dir: NOOP_PACK }];

export async function scaleOne(size: number, runs: number, extraEnv: NodeJS.ProcessEnv = {}, only?: string): Promise<ScaleFigures> {
    const stack = synthStack(size);
    const reqs = stack.map((r) => serialized(analyzeRequest(r)));
    const t0 = performance.now();
    const stackReq = serialized(analyzeStackRequest(stack));
    const encodeMs = performance.now() - t0;
    const f: ScaleFigures = { size, stackMs: {}, analyzeMs: {}, peak: {}, diagnostics: {}, encodeMs, requestBytes: stackReq.length };
    for (let run = 0; run < runs; run++) {
        for (const p of PACKS) {
            if (only && p.name !== only) continue;
            // A fresh process per run, so VmHWM is this run's peak.
            const pack = await launch(p.name, p.dir, extraEnv);
            try {
                await configure(pack);
                const t0 = performance.now();
                await analyzeAll(pack, reqs, 8);
                const t1 = performance.now();
                const resp: any = await pack.call("analyzeStack", stackReq);
                const t2 = performance.now();
                (f.analyzeMs[p.name] ??= []).push(t1 - t0);
                (f.stackMs[p.name] ??= []).push(t2 - t1);
                (f.peak[p.name] ??= []).push(pack.peakRss());
                f.diagnostics[p.name] = resp.getDiagnosticsList().length;
            } finally {
                await pack.stop();
            }
        }
    }
    return f;
}

export async function scale(sizes: { size: number; runs: number }[], log: (s: string) => void): Promise<SectionResult & { figures: ScaleFigures[] }> {
    const rows: Row[] = [];
    const figures: ScaleFigures[] = [];
    for (const { size, runs } of sizes) {
        const f = await scaleOne(size, runs);
        figures.push(f);
        log(`  scale: ${fmt(size)} resources x ${runs} runs done`);
        const ours = median(f.stackMs["ml-secrets-guard"]);
        const noop = median(f.stackMs["no-op"]);
        const paired = pairedRatio(f.stackMs["ml-secrets-guard"], f.stackMs["no-op"]);
        const big = size >= 10000;
        rows.push({
            section: "3 scale", measure: `AnalyzeStack, ${fmt(size)} resources (median of ${runs} paired runs)`, ours: `${fmt(ours, ours < 100 ? 1 : 0)} ms`,
            baseline: `no-op pack ${fmt(noop, noop < 100 ? 1 : 0)} ms`, ratio: `${fmt(paired, 2)}x`,
            target: big ? "<= 1.5x no-op" : "", met: big ? metIf(paired <= 1.5) : "",
        });
        const po = median(f.peak["ml-secrets-guard"]);
        const pn = median(f.peak["no-op"]);
        rows.push({
            section: "3 scale", measure: `peak RSS (VmHWM) after AnalyzeStack, ${fmt(size)} resources`, ours: fmtBytes(po),
            baseline: `no-op pack ${fmtBytes(pn)}`, ratio: ratio(po, pn), target: "", met: "",
        });
    }
    const notes = [
        "Per run: ours, then the no-op pack, each a fresh pack process; the ratio is the median of the runs' ratios, the ms columns each pack's median. Per pack: the CLI's opening calls with Configure, Analyze for every resource (8 in flight, " +
            "as parallel registrations), then one AnalyzeStack over every resource's outputs; only AnalyzeStack is timed for the table " +
            "(from sending the pre-encoded request to the decoded response). " +
            "Peak RSS is VmHWM from /proc/<pid>/status of the pack process, read after AnalyzeStack returns.",
        ...figures.map((f) => `${fmt(f.size)} resources: Analyze phase (all resources, 8 in flight) median ml-secrets-guard ${fmt(median(f.analyzeMs["ml-secrets-guard"]))} ms, ` +
            `no-op ${fmt(median(f.analyzeMs["no-op"]))} ms; AnalyzeStack runs (ms) ml-secrets-guard ${f.stackMs["ml-secrets-guard"].map((x) => fmt(x)).join(", ")}, ` +
            `no-op ${f.stackMs["no-op"].map((x) => fmt(x)).join(", ")}; AnalyzeStack request ${fmt(f.requestBytes / 1024)} KiB, ` +
            `encoded once up front in ${fmt(f.encodeMs)} ms (google-protobuf in the benchmark process; the Go engine's encoding is not timed either); AnalyzeStack diagnostics ml-secrets-guard ${f.diagnostics["ml-secrets-guard"]}, no-op ${f.diagnostics["no-op"]}.`),
    ];
    return { title: "3. Scale", rows, notes, figures };
}
