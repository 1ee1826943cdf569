// 1. Start time: spawn to port, as the CLI starts a pack (run-policy-pack, cwd = pack dir, first stdout line = port).
import { execFileSync } from "child_process";
import { launch, NOOP_PACK, REPO } from "../lib/harness";
import { Peer } from "../lib/peers";
import { fmt, median, metIf, pairedRatio, ratio, SectionResult } from "../lib/report";

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
    // A low-noise view of the same cost: in a fresh node, the time to load @pulumi/policy (both packs pay it) and
    // then our policies on top of it (only we do).
    const probe = "const t0 = process.hrtime.bigint(); require('@pulumi/policy'); const t1 = process.hrtime.bigint();" +
        "require('./dist/policies/registry.js'); const t2 = process.hrtime.bigint(); console.log(Number(t1 - t0) / 1e6, Number(t2 - t1) / 1e6);";
    const loads = Array.from({ length: runs }, () => execFileSync(process.execPath, ["-e", probe], { cwd: REPO, encoding: "utf8" }).trim().split(" ").map(Number));
    const sdkLoad = median(loads.map((l) => l[0]));
    const ourLoad = median(loads.map((l) => l[1]));
    const m = (n: string) => median(times.get(n)!);
    const ours = m("ml-secrets-guard");
    const noop = m("no-op");
    const paired = pairedRatio(times.get("ml-secrets-guard")!, times.get("no-op")!);
    const rows = [{
        section: "1 start", measure: `spawn to port, median of ${runs} paired rounds`, ours: `${fmt(ours)} ms`, baseline: `no-op pack ${fmt(noop)} ms`,
        ratio: `${fmt(paired, 2)}x`, target: "<= 1.10x no-op", met: metIf(paired <= 1.1),
    }];
    rows.push({
        section: "1 start", measure: `loading our policies on top of @pulumi/policy, fresh node, median of ${runs}`, ours: `+${fmt(ourLoad, 1)} ms`,
        baseline: `@pulumi/policy load ${fmt(sdkLoad)} ms`, ratio: ratio(sdkLoad + ourLoad, sdkLoad), target: "", met: "",
    });
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
            `(checker/engine/pack.ts startPack) and stops the clock at the port line. One warm-up round, then ${runs} interleaved rounds; the ratio is the median of the rounds' ours/no-op ratios, the ms columns each pack's median.`,
        `All runs (ms): ${packs.map((p) => `${p.name}: ${times.get(p.name)!.map((t) => fmt(t)).join(", ")}`).join("; ")}.`,
        "Spawn-to-port medians move by more than our pack's own load cost from run to run on a busy 2-core machine " +
            "(other processes share the cores); the load-time row isolates that cost (require of dist/policies/registry.js after @pulumi/policy).",
        "The no-op pack (bench/packs/noop) loads the same @pulumi/policy and @pulumi/pulumi from the repository's node_modules with no policies: the floor.",
    ];
    for (const p of peers) if (!p.dir) notes.push(`${p.name}: ${p.notMeasured}.`);
    if (peers.some((p) => p.name.startsWith("@pulumi/compliance-policies") && !p.dir)) {
        notes.push("pulumi/compliance-policies: `npm view @pulumi/compliance-policies` answers 404, so no pack built on it installs here; " +
            "the repository's policy packages are published under other, non-public scopes.");
    }
    return { title: "1. Start time", rows, notes, oursMs: ours, noopMs: noop };
}
