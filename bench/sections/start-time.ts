// 1. Start time: spawn to port, as the CLI starts a pack (run-policy-pack, cwd = pack dir, first stdout line = port).
import { launch, NOOP_PACK, REPO } from "../lib/harness";
import { Peer } from "../lib/peers";
import { fmt, median, metIf, ratio, SectionResult } from "../lib/report";

export async function startTime(peers: Peer[], runs: number, log: (s: string) => void): Promise<SectionResult & { oursMs: number; noopMs: number }> {
    const packs: { name: string; dir: string }[] = [
        { name: "ml-secrets-guard", dir: REPO },
        { name: "no-op", dir: NOOP_PACK },
        ...peers.filter((p) => p.dir).map((p) => ({ name: p.name, dir: p.dir! })),
    ];
    const times = new Map<string, number[]>(packs.map((p) => [p.name, []]));
    // One warm-up start each (file cache), then `runs` rounds, interleaved so drift hits every pack alike.
    for (let round = -1; round < runs; round++) {
        for (const p of packs) {
            const pack = await launch(p.name, p.dir);
            await pack.stop();
            if (round >= 0) times.get(p.name)!.push(pack.startMs);
        }
        log(`  start time: round ${round + 1}/${runs} done`);
    }
    const m = (n: string) => median(times.get(n)!);
    const ours = m("ml-secrets-guard");
    const noop = m("no-op");
    const rows = [{
        section: "1 start", measure: `spawn to port, median of ${runs}`, ours: `${fmt(ours)} ms`, baseline: `no-op pack ${fmt(noop)} ms`,
        ratio: ratio(ours, noop), target: "<= 1.10x no-op", met: metIf(ours <= 1.1 * noop),
    }];
    for (const p of peers) {
        if (!p.dir) {
            rows.push({ section: "1 start", measure: `peer ${p.name}`, ours: `${fmt(ours)} ms`, baseline: p.notMeasured ?? "not measured", ratio: "", target: "", met: "" });
            continue;
        }
        const t = m(p.name);
        rows.push({ section: "1 start", measure: `peer ${p.name}, spawn to port`, ours: `${fmt(ours)} ms`, baseline: `${fmt(t)} ms`, ratio: ratio(ours, t), target: "(peer, for scale)", met: "" });
    }
    const notes = [
        `Each start spawns \`node @pulumi/pulumi/cmd/run-policy-pack <engine> .\` in the pack directory with the CLI's environment ` +
            `(checker/engine/pack.ts startPack) and stops the clock at the port line. One warm-up round, then ${runs} interleaved rounds.`,
        `All runs (ms): ${packs.map((p) => `${p.name}: ${times.get(p.name)!.map((t) => fmt(t)).join(", ")}`).join("; ")}.`,
        "The no-op pack (bench/packs/noop) loads the same @pulumi/policy and @pulumi/pulumi from the repository's node_modules with no policies: the floor.",
    ];
    for (const p of peers) if (!p.dir) notes.push(`${p.name}: ${p.notMeasured}.`);
    return { title: "1. Start time", rows, notes, oursMs: ours, noopMs: noop };
}
