// Regex safety beyond the per-detector ReDoS test: the JSON walker, scanProps and the rules end to end, provenance,
// the exports rule, the scrubber, duration and address parsers and config schemas on 1 MB hostile inputs. Each case
// runs in a worker with a hard 20 s deadline, so catastrophic backtracking fails the test instead of hanging it.
import * as assert from "assert";
import * as path from "path";
import { Worker } from "worker_threads";
import { REGEX_CASES } from "./regex-cases";

const DEADLINE_MS = 20000;

function timeCase(name: string): Promise<number> {
    return new Promise((resolve, reject) => {
        const w = new Worker(path.join(__dirname, "regex-worker.js"), { workerData: { name }, resourceLimits: { maxOldGenerationSizeMb: 1024 } });
        const timer = setTimeout(() => {
            void w.terminate();
            reject(new Error(`did not finish within ${DEADLINE_MS / 1000} s (catastrophic backtracking?)`));
        }, DEADLINE_MS);
        w.once("message", (m: { ms: number }) => {
            clearTimeout(timer);
            void w.terminate();
            resolve(m.ms);
        });
        w.once("error", (e) => {
            clearTimeout(timer);
            reject(e);
        });
    });
}

describe("hardening: regex and parser safety end to end (1 MB hostile inputs)", function () {
    this.timeout(DEADLINE_MS + 10000);
    for (const c of REGEX_CASES) {
        it(`${c.name} (within ${c.budget} ms)`, async () => {
            const ms = await timeCase(c.name);
            assert.ok(ms <= c.budget, `${ms.toFixed(1)} ms`);
        });
    }
});
