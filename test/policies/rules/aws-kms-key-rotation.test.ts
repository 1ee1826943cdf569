import * as assert from "assert";
import {
    checkKmsKeyRotation, KEY_TYPE, remediateKmsKeyRotation,
} from "../../../policies/rules/aws-kms-key-rotation";
import { meta } from "../../../policies/aws-kms-key-rotation";
import { defaultsOf } from "../../../policies/lib/config-schema";
import type { KmsKeyRotationConfig } from "../../../policies/rules/aws-kms-key-rotation";
import { isSecretWrapper, WireObject } from "../../../policies/lib/wire";
import { Case, neverThrows, runCases, secret, subject, UNKNOWN_BOOL, UNKNOWN_NUMBER, UNKNOWN_STRING, verdict } from "../../helpers/rule-cases";

/** The policy's settings at their schema defaults. */
const defaults = defaultsOf<KmsKeyRotationConfig>(meta);
const rule = (s: Parameters<typeof checkKmsKeyRotation>[0]) => checkKmsKeyRotation(s, defaults);

const cases: Case[] = [
    { name: "rotation on, defaults", props: { enableKeyRotation: true }, expect: "pass" },
    { name: "rotation on, provider defaults filled in", props: { enableKeyRotation: true, customerMasterKeySpec: "SYMMETRIC_DEFAULT", keyUsage: "ENCRYPT_DECRYPT", isEnabled: true }, expect: "pass" },
    { name: "rotation on with 90 days", props: { enableKeyRotation: true, rotationPeriodInDays: 90 }, expect: "pass" },
    { name: "rotation on with 365 days (the default maximum)", props: { enableKeyRotation: true, rotationPeriodInDays: 365 }, expect: "pass" },
    { name: "rotation on as the string 'true'", props: { enableKeyRotation: "true" }, expect: "pass" },
    { name: "rotation on, secret-wrapped", props: { enableKeyRotation: secret(true) }, expect: "pass" },
    { name: "rotation off", props: { enableKeyRotation: false }, expect: "fail", match: [/KMS key 'res'/, /enableKeyRotation is false/, /enableKeyRotation: true/] },
    { name: "rotation unset", props: { description: "ml data key" }, expect: "fail", match: [/enableKeyRotation is not set/] },
    { name: "rotation as the string 'false'", props: { enableKeyRotation: "false" }, expect: "fail" },
    { name: "rotation as a number", props: { enableKeyRotation: 1 }, expect: "fail", match: [/not a boolean/] },
    { name: "rotation as an array", props: { enableKeyRotation: [true] as never }, expect: "fail", match: [/not a boolean/] },
    { name: "rotation off, secret-wrapped", props: { enableKeyRotation: secret(false) }, expect: "fail" },
    { name: "period too long for the default maximum", props: { enableKeyRotation: true, rotationPeriodInDays: 400 }, expect: "fail", match: [/rotationPeriodInDays is 400, more than the allowed 365/] },
    { name: "period below AWS's range", props: { enableKeyRotation: true, rotationPeriodInDays: 30 }, expect: "fail", match: [/outside AWS's range/] },
    { name: "period above AWS's range", props: { enableKeyRotation: true, rotationPeriodInDays: 3000 }, expect: "fail", match: [/outside AWS's range/] },
    { name: "period not whole", props: { enableKeyRotation: true, rotationPeriodInDays: 100.5 }, expect: "fail" },
    { name: "period as a numeric string", props: { enableKeyRotation: true, rotationPeriodInDays: "180" }, expect: "pass" },
    { name: "period malformed", props: { enableKeyRotation: true, rotationPeriodInDays: "a year" }, expect: "fail", match: [/not a number/] },
    { name: "rotation unknown", props: { enableKeyRotation: UNKNOWN_BOOL }, expect: "na", match: [/unknown during preview; checked at update/] },
    { name: "period unknown", props: { enableKeyRotation: true, rotationPeriodInDays: UNKNOWN_NUMBER }, expect: "na" },
    { name: "rotation off while the period is unknown: still a violation", props: { enableKeyRotation: false, rotationPeriodInDays: UNKNOWN_NUMBER }, expect: "fail" },
    { name: "key spec unknown", props: { customerMasterKeySpec: UNKNOWN_STRING }, expect: "na", match: [/customerMasterKeySpec .*unknown/] },
    { name: "asymmetric RSA key", props: { customerMasterKeySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" }, expect: "na", match: [/not a symmetric/] },
    { name: "asymmetric ECC key via keySpec", props: { keySpec: "ECC_NIST_P256" }, expect: "na" },
    { name: "SM2 key", props: { customerMasterKeySpec: "SM2" }, expect: "na" },
    { name: "ML-DSA key", props: { customerMasterKeySpec: "ML_DSA_65", keyUsage: "SIGN_VERIFY" }, expect: "na" },
    { name: "HMAC key", props: { customerMasterKeySpec: "HMAC_256", keyUsage: "GENERATE_VERIFY_MAC" }, expect: "na", match: [/HMAC|GENERATE_VERIFY_MAC|symmetric/] },
    { name: "HMAC usage with symmetric spec (malformed but classify by usage)", props: { customerMasterKeySpec: "SYMMETRIC_DEFAULT", keyUsage: "GENERATE_VERIFY_MAC" }, expect: "na", match: [/GENERATE_VERIFY_MAC/] },
    { name: "CloudHSM custom key store", props: { customKeyStoreId: "cks-1234567890abcdef0" }, expect: "na", match: [/custom key store/] },
    { name: "external key store", props: { customKeyStoreId: "cks-1234567890abcdef0", xksKeyId: "ext-key-1" }, expect: "na" },
    { name: "custom key store id unknown", props: { customKeyStoreId: UNKNOWN_STRING }, expect: "na", match: [/unknown during preview/] },
    { name: "imported material (origin EXTERNAL)", props: { origin: "EXTERNAL" }, expect: "na", match: [/origin EXTERNAL/] },
    { name: "origin AWS_CLOUDHSM", props: { origin: "AWS_CLOUDHSM" }, expect: "na" },
    { name: "origin AWS_KMS is rotatable", props: { origin: "AWS_KMS" }, expect: "fail" },
    { name: "key spec as a number is treated as the default (fail closed)", props: { customerMasterKeySpec: 5 }, expect: "fail" },
    { name: "external key type (imported material cannot rotate)", type: "aws:kms/externalKey:ExternalKey", props: {}, expect: "na", match: [/applies only to aws:kms\/key:Key/] },
    { name: "replica key type (follows its primary)", type: "aws:kms/replicaKey:ReplicaKey", props: {}, expect: "na", match: [/applies only to aws:kms\/key:Key/] },
    { name: "other type", type: "aws:s3/bucket:Bucket", props: { enableKeyRotation: false }, expect: "na", match: [/applies only to aws:kms\/key:Key/] },
    { name: "empty props", props: {}, expect: "fail" },
];

describe("aws-kms-key-rotation rule", () => {
    runCases("cases", KEY_TYPE, cases, rule);

    it("honours a lower configured maximum, including the 365-day default when the period is unset", () => {
        const s = subject(KEY_TYPE, { enableKeyRotation: true });
        assert.strictEqual(verdict(checkKmsKeyRotation(s, { maxRotationPeriodInDays: 180 })), "fail");
        assert.strictEqual(verdict(checkKmsKeyRotation(subject(KEY_TYPE, { enableKeyRotation: true, rotationPeriodInDays: 180 }), { maxRotationPeriodInDays: 180 })), "pass");
        assert.strictEqual(verdict(checkKmsKeyRotation(subject(KEY_TYPE, { enableKeyRotation: true, rotationPeriodInDays: 181 }), { maxRotationPeriodInDays: 180 })), "fail");
        assert.strictEqual(verdict(checkKmsKeyRotation(subject(KEY_TYPE, { enableKeyRotation: true, rotationPeriodInDays: 2000 }), { maxRotationPeriodInDays: 2560 })), "pass");
    });

    neverThrows(KEY_TYPE, ["enableKeyRotation", "rotationPeriodInDays", "customerMasterKeySpec", "keySpec", "keyUsage", "origin", "customKeyStoreId", "xksKeyId"],
        rule, (s) => remediateKmsKeyRotation(s, defaults));
});

describe("aws-kms-key-rotation remediation", () => {
    it("turns rotation on and keeps every other property, secret wrappers included", () => {
        const policy = secret("{\"Version\":\"2012-10-17\"}");
        const out = remediateKmsKeyRotation(subject(KEY_TYPE, { enableKeyRotation: false, description: "d", policy }), defaults)!;
        assert.ok(out);
        assert.strictEqual(out.enableKeyRotation, true);
        assert.strictEqual(out.description, "d");
        assert.deepStrictEqual(out.policy, policy);
        assert.strictEqual(verdict(checkKmsKeyRotation(subject(KEY_TYPE, out), defaults)), "pass");
    });

    it("clamps an out-of-range period and keeps its secret wrapper", () => {
        const out = remediateKmsKeyRotation(subject(KEY_TYPE, { enableKeyRotation: true, rotationPeriodInDays: secret(3000) }), defaults)!;
        assert.ok(isSecretWrapper(out.rotationPeriodInDays));
        assert.strictEqual((out.rotationPeriodInDays as WireObject).value, 365);
        const low = remediateKmsKeyRotation(subject(KEY_TYPE, { enableKeyRotation: true, rotationPeriodInDays: 10 }), defaults)!;
        assert.strictEqual(low.rotationPeriodInDays, 90);
    });

    it("sets the period to a lower configured maximum when unset", () => {
        const out = remediateKmsKeyRotation(subject(KEY_TYPE, { enableKeyRotation: true }), { maxRotationPeriodInDays: 180 })!;
        assert.strictEqual(out.rotationPeriodInDays, 180);
    });

    it("changes nothing on compliant, non-applicable or unknown keys", () => {
        assert.strictEqual(remediateKmsKeyRotation(subject(KEY_TYPE, { enableKeyRotation: true }), defaults), undefined);
        assert.strictEqual(remediateKmsKeyRotation(subject(KEY_TYPE, { customerMasterKeySpec: "RSA_4096" }), defaults), undefined);
        assert.strictEqual(remediateKmsKeyRotation(subject(KEY_TYPE, { customerMasterKeySpec: UNKNOWN_STRING }), defaults), undefined);
        assert.strictEqual(remediateKmsKeyRotation(subject(KEY_TYPE, { enableKeyRotation: UNKNOWN_BOOL }), defaults), undefined);
        assert.strictEqual(remediateKmsKeyRotation(subject("aws:kms/externalKey:ExternalKey", {}), defaults), undefined);
    });
});
