import * as assert from "assert";
import {
    checkCryptoKeyRotation, CRYPTO_KEY_TYPE, parseDurationSeconds, remediateCryptoKeyRotation,
} from "../../../policies/rules/gcp-kms-crypto-key-rotation";
import { meta } from "../../../policies/gcp-kms-crypto-key-rotation";
import { defaultsOf } from "../../../policies/lib/config-schema";
import type { GcpKeyRotationConfig } from "../../../policies/rules/gcp-kms-crypto-key-rotation";
import { isSecretWrapper, WireObject } from "../../../policies/lib/wire";
import { Case, neverThrows, runCases, secret, subject, UNKNOWN_STRING, verdict } from "../../helpers/rule-cases";

/** The policy's settings at their schema defaults. */
const defaults = defaultsOf<GcpKeyRotationConfig>(meta);
const rule = (s: Parameters<typeof checkCryptoKeyRotation>[0]) => checkCryptoKeyRotation(s, defaults);
const KR = "projects/p/locations/global/keyRings/ml";

const cases: Case[] = [
    { name: "90 days exactly", props: { keyRing: KR, rotationPeriod: "7776000s" }, expect: "pass" },
    { name: "one day exactly", props: { keyRing: KR, rotationPeriod: "86400s" }, expect: "pass" },
    { name: "fractional seconds within range", props: { rotationPeriod: "100000.25s", purpose: "ENCRYPT_DECRYPT" }, expect: "pass" },
    { name: "secret-wrapped period", props: { rotationPeriod: secret("2592000s") }, expect: "pass" },
    { name: "fractional just over the maximum", props: { rotationPeriod: "7776000.5s" }, expect: "fail", match: [/7776000\.5s, longer than the allowed 7776000s/] },
    { name: "one year", props: { rotationPeriod: "31536000s" }, expect: "fail", match: [/crypto key 'res'/, /rotationPeriod/, /CIS GCP 1\.10/] },
    { name: "missing", props: { keyRing: KR }, expect: "fail", match: [/rotationPeriod is not set/] },
    { name: "empty string", props: { rotationPeriod: "" }, expect: "fail", match: [/not set/] },
    { name: "shorter than a day", props: { rotationPeriod: "3600s" }, expect: "fail", match: [/shorter than the 86400s/] },
    { name: "no unit", props: { rotationPeriod: "7776000" }, expect: "fail", match: [/malformed/] },
    { name: "Go-style duration", props: { rotationPeriod: "2160h" }, expect: "fail", match: [/malformed/] },
    { name: "ISO duration", props: { rotationPeriod: "P90D" }, expect: "fail", match: [/malformed/] },
    { name: "negative", props: { rotationPeriod: "-100000s" }, expect: "fail", match: [/malformed/] },
    { name: "exponent", props: { rotationPeriod: "1e5s" }, expect: "fail", match: [/malformed/] },
    { name: "too many fractional digits", props: { rotationPeriod: "100000.1234567891s" }, expect: "fail", match: [/malformed/] },
    { name: "trailing dot", props: { rotationPeriod: "100000.s" }, expect: "fail", match: [/malformed/] },
    { name: "number instead of string", props: { rotationPeriod: 7776000 }, expect: "fail", match: [/not a duration string/] },
    { name: "object instead of string", props: { rotationPeriod: { seconds: 7776000 } }, expect: "fail" },
    { name: "unknown period", props: { rotationPeriod: UNKNOWN_STRING }, expect: "na", match: [/unknown during preview; checked at update/] },
    { name: "unknown purpose", props: { purpose: UNKNOWN_STRING }, expect: "na" },
    { name: "asymmetric signing key", props: { purpose: "ASYMMETRIC_SIGN" }, expect: "na", match: [/ASYMMETRIC_SIGN/] },
    { name: "asymmetric decryption key", props: { purpose: "ASYMMETRIC_DECRYPT" }, expect: "na" },
    { name: "MAC key", props: { purpose: "MAC" }, expect: "na" },
    { name: "raw encryption key", props: { purpose: "RAW_ENCRYPT_DECRYPT" }, expect: "na" },
    { name: "external (EKM) key", props: { versionTemplate: { algorithm: "EXTERNAL_SYMMETRIC_ENCRYPTION", protectionLevel: "EXTERNAL" } }, expect: "na" },
    { name: "HSM key still needs rotation", props: { versionTemplate: { algorithm: "GOOGLE_SYMMETRIC_ENCRYPTION", protectionLevel: "HSM" } }, expect: "fail" },
    { name: "versionTemplate as an array", props: { versionTemplate: [] as never, rotationPeriod: "86400s" }, expect: "pass" },
    { name: "other type", type: "gcp:kms/keyRing:KeyRing", props: {}, expect: "na" },
];

describe("gcp-kms-crypto-key-rotation rule", () => {
    runCases("cases", CRYPTO_KEY_TYPE, cases, rule);

    it("parses duration strings", () => {
        assert.strictEqual(parseDurationSeconds("86400s"), 86400);
        assert.strictEqual(parseDurationSeconds("7776000.5s"), 7776000.5);
        assert.strictEqual(parseDurationSeconds("0.000000001s"), 1e-9);
        for (const bad of ["s", "1", "1.s", ".5s", "1ss", " 1s", "1 s", "+1s", "1,5s", "9".repeat(40) + "s"]) {
            assert.strictEqual(parseDurationSeconds(bad), undefined, `length ${bad.length}`);
        }
    });

    it("honours the configured maximum", () => {
        const s = subject(CRYPTO_KEY_TYPE, { rotationPeriod: "2592001s" });
        assert.strictEqual(verdict(checkCryptoKeyRotation(s, { maxRotationPeriodSeconds: 2592000 })), "fail");
        assert.strictEqual(verdict(checkCryptoKeyRotation(s, { maxRotationPeriodSeconds: 2592001 })), "pass");
    });

    neverThrows(CRYPTO_KEY_TYPE, ["rotationPeriod", "purpose", "versionTemplate", "protectionLevel", "keyRing"], rule,
        (s) => remediateCryptoKeyRotation(s, defaults));
});

describe("gcp-kms-crypto-key-rotation remediation", () => {
    it("sets the maximum when missing, malformed or too long, keeping other props and wrappers", () => {
        const labels = { team: "ml" };
        for (const rotationPeriod of [undefined, "P90D", "31536000s", 12]) {
            const props: WireObject = { keyRing: KR, labels };
            if (rotationPeriod !== undefined) props.rotationPeriod = rotationPeriod;
            const out = remediateCryptoKeyRotation(subject(CRYPTO_KEY_TYPE, props), defaults)!;
            assert.strictEqual(out.rotationPeriod, "7776000s");
            assert.deepStrictEqual(out.labels, labels);
            assert.strictEqual(verdict(checkCryptoKeyRotation(subject(CRYPTO_KEY_TYPE, out), defaults)), "pass");
        }
        const wrapped = remediateCryptoKeyRotation(subject(CRYPTO_KEY_TYPE, { rotationPeriod: secret("99999999s") }), { maxRotationPeriodSeconds: 2592000 })!;
        assert.ok(isSecretWrapper(wrapped.rotationPeriod));
        assert.strictEqual((wrapped.rotationPeriod as WireObject).value, "2592000s");
    });

    it("leaves compliant, asymmetric, unknown and too-short keys alone", () => {
        assert.strictEqual(remediateCryptoKeyRotation(subject(CRYPTO_KEY_TYPE, { rotationPeriod: "86400s" }), defaults), undefined);
        assert.strictEqual(remediateCryptoKeyRotation(subject(CRYPTO_KEY_TYPE, { purpose: "ASYMMETRIC_SIGN" }), defaults), undefined);
        assert.strictEqual(remediateCryptoKeyRotation(subject(CRYPTO_KEY_TYPE, { rotationPeriod: UNKNOWN_STRING }), defaults), undefined);
        assert.strictEqual(remediateCryptoKeyRotation(subject(CRYPTO_KEY_TYPE, { rotationPeriod: "60s" }), defaults), undefined);
    });
});
