import * as assert from "assert";
import { numberSetting } from "../../../policies/lib/settings";
import { checkKmsKeyRotation, KEY_TYPE } from "../../../policies/rules/aws-kms-key-rotation";
import { checkCryptoKeyRotation, CRYPTO_KEY_TYPE } from "../../../policies/rules/gcp-kms-crypto-key-rotation";
import { checkTransitKeyRotation, TRANSIT_KEY_TYPE } from "../../../policies/rules/vault-transit-key-rotation";
import { subject, verdict } from "../../helpers/rule-cases";

describe("numberSetting (one meaning for an out-of-range setting)", () => {
    const s = { default: 365, minimum: 90, maximum: 2560, integer: true };
    it("keeps a value within the bounds, bounds included", () => {
        assert.strictEqual(numberSetting(90, s), 90);
        assert.strictEqual(numberSetting(2560, s), 2560);
        assert.strictEqual(numberSetting(180, s), 180);
    });
    it("uses the default (never a clamped value) for out-of-range, fractional, non-numeric and missing values", () => {
        for (const v of [89, 2561, -1, 100.5, NaN, Infinity, "180", null, undefined, {}]) {
            assert.strictEqual(numberSetting(v, s), 365, String(v));
        }
    });
    it("has no upper bound when the setting has none", () => {
        assert.strictEqual(numberSetting(1e12, { default: 7, minimum: 1 }), 1e12);
    });
});

describe("rotation rules given an out-of-range setting directly run with the default", () => {
    it("aws-kms-key-rotation: 5000 days is not clamped to 2560 but falls back to 365", () => {
        const key = subject(KEY_TYPE, { enableKeyRotation: true, rotationPeriodInDays: 400 });
        assert.strictEqual(verdict(checkKmsKeyRotation(key, { maxRotationPeriodInDays: 5000 })), "fail");
        assert.strictEqual(verdict(checkKmsKeyRotation(key, { maxRotationPeriodInDays: 2560 })), "pass");
        // Below the minimum: not clamped up to 90 (which would fail a 180-day key) but the default 365.
        const k180 = subject(KEY_TYPE, { enableKeyRotation: true, rotationPeriodInDays: 180 });
        assert.strictEqual(verdict(checkKmsKeyRotation(k180, { maxRotationPeriodInDays: 10 })), "pass");
    });
    it("gcp-kms-crypto-key-rotation and vault-transit-key-rotation: below the minimum means the default", () => {
        const g = subject(CRYPTO_KEY_TYPE, { rotationPeriod: "604800s" });
        assert.strictEqual(verdict(checkCryptoKeyRotation(g, { maxRotationPeriodSeconds: 5 })), "pass");
        assert.strictEqual(verdict(checkCryptoKeyRotation(subject(CRYPTO_KEY_TYPE, { rotationPeriod: "9999999s" }), { maxRotationPeriodSeconds: 5 })), "fail");
        const v = subject(TRANSIT_KEY_TYPE, { backend: "transit", name: "k", autoRotatePeriod: 604800 });
        assert.strictEqual(verdict(checkTransitKeyRotation(v, { maxAutoRotatePeriodSeconds: 5 })), "pass");
        assert.strictEqual(verdict(checkTransitKeyRotation(subject(TRANSIT_KEY_TYPE, { backend: "transit", name: "k", autoRotatePeriod: 9999999 }), { maxAutoRotatePeriodSeconds: 5 })), "fail");
    });
});
