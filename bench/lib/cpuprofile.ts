// Reads a V8 .cpuprofile (node --cpu-prof) and ranks functions by self and inclusive time, optionally within a
// window of monotonic-clock microseconds (process.hrtime, the clock the profile's timestamps use on Linux).
import * as fs from "fs";
import * as path from "path";

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; children?: number[] }
interface Profile { nodes: Node[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] }

export interface Ranked { fn: string; selfMs: number; totalMs: number }

export function nowUs(): number {
    return Number(process.hrtime.bigint() / 1000n);
}

function label(n: Node, root: string): string {
    const f = n.callFrame;
    const name = f.functionName || "(anonymous)";
    if (!f.url) return name;
    let file = f.url.replace(/^file:\/\//, "");
    if (file.startsWith(root)) file = path.relative(root, file);
    file = file.replace(/^.*node_modules\//, "node_modules/");
    return `${name} ${file}:${f.lineNumber + 1}`;
}

export function rank(file: string, root: string, window?: [number, number]): { ranked: Ranked[]; sampledMs: number; spanMs: number } {
    const p = JSON.parse(fs.readFileSync(file, "utf8")) as Profile;
    const byId = new Map(p.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const self = new Map<string, number>();
    const total = new Map<string, number>();
    let t = p.startTime;
    let sampled = 0;
    for (let i = 0; i < p.samples.length; i++) {
        t += p.timeDeltas[i];
        const dt = p.timeDeltas[i + 1] ?? 0; // a sample's weight is the gap to the next one
        if (window && (t < window[0] || t > window[1])) continue;
        const leaf = byId.get(p.samples[i])!;
        const name = label(leaf, root);
        if (name === "(idle)" || name === "(program)") continue;
        sampled += dt;
        self.set(name, (self.get(name) ?? 0) + dt);
        const seen = new Set<string>();
        for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
            const l = label(byId.get(id)!, root);
            if (seen.has(l)) continue;
            seen.add(l);
            total.set(l, (total.get(l) ?? 0) + dt);
        }
    }
    const ranked = [...total].map(([fn, tot]) => ({ fn, selfMs: (self.get(fn) ?? 0) / 1000, totalMs: tot / 1000 }));
    const span = window ? (window[1] - window[0]) / 1000 : (p.endTime - p.startTime) / 1000;
    return { ranked, sampledMs: sampled / 1000, spanMs: span };
}

export function printRanking(title: string, r: { ranked: Ranked[]; sampledMs: number; spanMs: number }, top = 15, filter?: RegExp): string {
    const lines = [`${title}: ${r.sampledMs.toFixed(0)} ms of non-idle samples in a ${r.spanMs.toFixed(0)} ms window`];
    const bySelf = [...r.ranked].sort((a, b) => b.selfMs - a.selfMs).slice(0, top);
    lines.push("  top self time:");
    for (const x of bySelf) lines.push(`    ${x.selfMs.toFixed(1).padStart(9)} ms self ${(100 * x.selfMs / r.sampledMs).toFixed(1).padStart(5)}%  ${x.fn}`);
    const ours = [...r.ranked].filter((x) => !filter || filter.test(x.fn)).sort((a, b) => b.totalMs - a.totalMs).slice(0, top);
    lines.push(`  top inclusive time${filter ? ` (${filter.source})` : ""}:`);
    for (const x of ours) lines.push(`    ${x.totalMs.toFixed(1).padStart(9)} ms total ${(100 * x.totalMs / r.sampledMs).toFixed(1).padStart(5)}%  ${x.fn}`);
    return lines.join("\n");
}
