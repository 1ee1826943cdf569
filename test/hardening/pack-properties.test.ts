// The hardening properties through the real pack process over the Analyzer protocol (fast-check, fixed seed).
import * as assert from "assert";
import { PackClient } from "./pack-client";
import { packProperty, startFuzzPack } from "./pack-properties";
import { assertProperty } from "./properties";

const SEED = 20260612;
const CASES = Number(process.env.MLSG_HARDENING_PACK_CASES ?? 200);

describe(`hardening: random operations through the real pack process (seed ${SEED}, ${CASES} cases)`, function () {
    this.timeout(180000);
    let pack: PackClient;

    before(async () => {
        pack = await startFuzzPack(true);
    });
    after(() => pack?.stop());

    it("never a gRPC error or a crash, no leak, no preview downgrade, a planted hard-coded secret stays mandatory", async () => {
        await assertProperty(packProperty(pack) as any, { seed: SEED, numRuns: CASES });
        assert.ok(pack.alive(), "the pack is still running");
    });

    it("the pack's stderr and engine log hold no internal error and no stack trace", () => {
        const out = pack.output();
        assert.doesNotMatch(out, /internal error|TypeError|RangeError|at .*\.js:\d+/);
    });
});
