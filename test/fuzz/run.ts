// `npm run fuzz`: the hardening properties with many more cases than the test suite, and random seeds (printed, so
// a failure can be replayed with MLSG_FUZZ_SEED). Pure-logic properties over every policy (100,000 cases by default,
// split by share, 1 MB strings more often than in the suite), then random operations through the real pack process.
// Prints how many cases ran; exits 1 on a failure. Not part of `npm test`.
//   MLSG_FUZZ_CASES       pure-logic cases (default 100000)
//   MLSG_FUZZ_PACK_CASES  cases through the pack process (default 2000)
//   MLSG_FUZZ_SEED        seed (default: random)
import { assertProperty, PropertyFailure, PURE_PROPERTIES } from "../hardening/properties";
import { packProperty, startFuzzPack } from "../hardening/pack-properties";

async function main(): Promise<number> {
    const total = Number(process.env.MLSG_FUZZ_CASES ?? 100000);
    const packCases = Number(process.env.MLSG_FUZZ_PACK_CASES ?? 2000);
    const seed = process.env.MLSG_FUZZ_SEED !== undefined ? Number(process.env.MLSG_FUZZ_SEED) : (Date.now() ^ (process.pid << 8)) | 0;
    const t0 = Date.now();
    let ran = 0;
    let failed = false;
    console.log(`fuzz: seed ${seed}; ${total} pure-logic cases, ${packCases} through the pack process`);
    for (const p of PURE_PROPERTIES) {
        const numRuns = Math.max(1, Math.round(total * p.share));
        const t = Date.now();
        try {
            const d = assertProperty(p.make({ bigWeight: 4 }), { seed, numRuns });
            ran += d.numRuns;
            console.log(`  ok   ${d.numRuns} cases (${d.numSkips} skipped) in ${((Date.now() - t) / 1000).toFixed(1)} s: ${p.name}`);
        } catch (e) {
            failed = true;
            console.log(`  FAIL ${p.name}\n${e instanceof PropertyFailure ? e.message : (e as Error).stack}`);
        }
    }
    if (packCases > 0) {
        const pack = await startFuzzPack(true);
        const t = Date.now();
        try {
            const d = await assertProperty(packProperty(pack, { bigWeight: 2 }), { seed, numRuns: packCases });
            ran += d.numRuns;
            console.log(`  ok   ${d.numRuns} cases in ${((Date.now() - t) / 1000).toFixed(1)} s: random operations through the real pack process`);
        } catch (e) {
            failed = true;
            console.log(`  FAIL random operations through the real pack process\n${e instanceof PropertyFailure ? e.message : (e as Error).stack}`);
        } finally {
            pack.stop();
        }
    }
    console.log(`fuzz: ${ran} cases ran in ${((Date.now() - t0) / 1000).toFixed(1)} s, seed ${seed}: ${failed ? "FAILED" : "all properties held"}`);
    return failed ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => {
    console.error(e);
    process.exit(1);
});
