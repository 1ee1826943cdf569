// Property-based tests of every policy's pure logic on hostile random trees (fast-check, fixed seed).
// `npm run fuzz` runs the same properties with far more cases.
import * as assert from "assert";
import { FORMAT_DETECTORS, findCredentialFormats } from "../../policies/detection";
import { scanProps } from "../../policies/detection/scan";
import { POLICY_MODULES } from "../../policies/registry";
import { FORMAT_FAKES, keyNameFake, placeholderFake, seeded } from "./fakes";
import { HARNESS } from "./harness";
import { assertProperty, PURE_PROPERTIES } from "./properties";

export const SEED = 20260611;
/** Cases for the pure properties in the normal suite (split between them by share). */
const CASES = Number(process.env.MLSG_HARDENING_CASES ?? 4000);

describe("hardening: fakes and harness cover every detector and policy", () => {
    it("one fake generator per format detector", () => {
        assert.deepStrictEqual(Object.keys(FORMAT_FAKES).sort(), FORMAT_DETECTORS.map((d) => d.id).sort());
    });

    for (const d of FORMAT_DETECTORS) {
        it(`${d.id}: generated fakes are found by that detector, alone and under their key`, () => {
            for (let i = 0; i < 20; i++) {
                const p = FORMAT_FAKES[d.id](seeded(i * 7919 + 1));
                assert.ok(findCredentialFormats(p.value).some((h) => h.detector === d.id), `fake #${i} not found`);
                assert.ok(scanProps("aws:s3/bucket:Bucket", { [p.key]: p.value }).length > 0, `fake #${i} not found by scanProps`);
                assert.ok(p.secret.length >= 8 && p.value.includes(p.secret.slice(0, 8)) || d.id.endsWith("service-account-key") || d.id === "private-key");
            }
        });
    }

    it("key-name and placeholder fakes are found under their keys", () => {
        const k = keyNameFake(seeded(3));
        assert.deepStrictEqual(scanProps("aws:s3/bucket:Bucket", { [k.key]: k.value }).map((c) => c.detector), ["secret-key-name"]);
        const p = placeholderFake();
        assert.deepStrictEqual(scanProps("aws:s3/bucket:Bucket", { [p.key]: p.value }).map((c) => c.detector), ["placeholder"]);
    });

    it("the harness drives every registered policy", () => {
        assert.deepStrictEqual(HARNESS.map((h) => h.name).sort(), POLICY_MODULES.map((m) => m.meta.name).sort());
    });
});

describe(`hardening: pure-logic properties (fast-check, seed ${SEED}, ${CASES} cases)`, function () {
    this.timeout(120000);
    for (const p of PURE_PROPERTIES) {
        it(p.name, () => {
            assertProperty(p.make({}), { seed: SEED, numRuns: Math.max(50, Math.round(CASES * p.share)) });
        });
    }
});
