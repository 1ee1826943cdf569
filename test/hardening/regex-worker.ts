// Runs one regex-safety case in a worker thread, so a catastrophic pattern can be stopped (terminate()) instead of
// hanging the test run. Posts the faster of two timings in milliseconds.
import { parentPort, workerData } from "worker_threads";
import { REGEX_CASES } from "./regex-cases";

const c = REGEX_CASES.find((x) => x.name === workerData.name);
if (!c) throw new Error(`no case ${workerData.name}`);
const inputs = c.each ? (c.setup() as unknown[]) : [c.setup()];
let worst = 0;
for (const input of inputs) {
    let best = Infinity;
    for (let i = 0; i < 2; i++) {
        const t0 = process.hrtime.bigint();
        c.run(input);
        best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
    }
    worst = Math.max(worst, best);
}
parentPort!.postMessage({ ms: worst });
