// gcp-kms-crypto-key-rotation: symmetric Cloud KMS keys rotate automatically, at least every configured period.
import { resourcePolicy } from "./lib/adapter";
import { PolicyMeta } from "./lib/rule";
import { OUT_OF_RANGE_NOTE } from "./lib/settings";

const DAY = 86400;
import {
    checkCryptoKeyRotation,
    CRYPTO_KEY_TYPE,
    DEFAULT_MAX_ROTATION_SECONDS,
    GcpKeyRotationConfig,
    MAX_ROTATION_SETTING,
    MIN_ROTATION_SECONDS,
    remediateCryptoKeyRotation,
} from "./rules/gcp-kms-crypto-key-rotation";

export const meta: PolicyMeta = {
    name: "gcp-kms-crypto-key-rotation",
    description: "Symmetric Google Cloud KMS crypto keys must rotate automatically within the allowed period.",
    enforcementLevel: "mandatory",
    severity: "high",
    framework: {
        name: "CIS Google Cloud Platform Foundation",
        version: "2.0.0",
        reference: "1.10",
        specification: "Ensure KMS encryption keys are rotated within a period of 90 days",
    },
    checks: "Each gcp:kms/cryptoKey:CryptoKey with purpose ENCRYPT_DECRYPT (or unset) has a well-formed rotationPeriod " +
        `("<seconds>s") from ${MIN_ROTATION_SECONDS}s to the configured maximum (default ${DEFAULT_MAX_ROTATION_SECONDS}s, ${DEFAULT_MAX_ROTATION_SECONDS / DAY} days).`,
    remediationSteps: `Set \`rotationPeriod\` on the crypto key, e.g. \`rotationPeriod: "${DEFAULT_MAX_ROTATION_SECONDS}s"\` (${DEFAULT_MAX_ROTATION_SECONDS / DAY} days). ` +
        "Under the `remediate` level the pack sets it to the allowed maximum when it is missing or too long.",
    tags: ["gcp", "kms", "key-rotation"],
    configSchema: {
        properties: {
            maxRotationPeriodSeconds: {
                type: "number",
                default: MAX_ROTATION_SETTING.default,
                minimum: MAX_ROTATION_SETTING.minimum,
                description: `Longest allowed rotation period in seconds (default ${DEFAULT_MAX_ROTATION_SECONDS} = ${DEFAULT_MAX_ROTATION_SECONDS / DAY} days; ` +
                    `Cloud KMS needs at least ${MIN_ROTATION_SECONDS}). ${OUT_OF_RANGE_NOTE}`,
            },
        },
    },
};

export const policy = resourcePolicy<GcpKeyRotationConfig>(meta, {
    appliesTo: [CRYPTO_KEY_TYPE],
    rule: (subject, config) => checkCryptoKeyRotation(subject, config),
    remediate: (subject, config) => remediateCryptoKeyRotation(subject, config),
});
