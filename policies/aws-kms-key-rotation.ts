// aws-kms-key-rotation: customer-managed symmetric KMS keys rotate automatically, within the configured period.
import { resourcePolicy } from "./lib/adapter";
import { PolicyMeta } from "./lib/rule";
import { OUT_OF_RANGE_NOTE } from "./lib/settings";
import {
    checkKmsKeyRotation,
    DEFAULT_ROTATION_DAYS,
    KEY_TYPE,
    KmsKeyRotationConfig,
    MAX_ROTATION_DAYS,
    MAX_ROTATION_SETTING,
    MIN_ROTATION_DAYS,
    NOT_ROTATABLE_TYPES,
    remediateKmsKeyRotation,
} from "./rules/aws-kms-key-rotation";

export const meta: PolicyMeta = {
    name: "aws-kms-key-rotation",
    description: "Customer-managed symmetric AWS KMS keys must have automatic key rotation enabled.",
    enforcementLevel: "mandatory",
    severity: "high",
    framework: {
        name: "CIS Amazon Web Services Foundations",
        version: "3.0.0",
        reference: "3.6",
        specification: "Ensure rotation for customer-created symmetric CMKs is enabled",
    },
    checks: "Each aws:kms/key:Key that AWS can rotate (symmetric encryption, not HMAC/asymmetric, not imported or in a custom key store) " +
        `has enableKeyRotation true and rotationPeriodInDays (when set, or the ${DEFAULT_ROTATION_DAYS}-day default) within ${MIN_ROTATION_DAYS} days and the configured maximum. ` +
        `${NOT_ROTATABLE_TYPES.join(", ")} are not applicable: imported material and replicas cannot rotate automatically.`,
    remediationSteps: `Set \`enableKeyRotation: true\` on the key, and \`rotationPeriodInDays\` between ${MIN_ROTATION_DAYS} and the allowed maximum ` +
        `(default ${MAX_ROTATION_SETTING.default}). Under the \`remediate\` level the pack sets these itself.`,
    tags: ["aws", "kms", "key-rotation"],
    configSchema: {
        properties: {
            maxRotationPeriodInDays: {
                type: "integer",
                default: MAX_ROTATION_SETTING.default,
                minimum: MAX_ROTATION_SETTING.minimum,
                maximum: MAX_ROTATION_SETTING.maximum,
                description: `Longest allowed rotation period in days (AWS accepts ${MIN_ROTATION_DAYS}-${MAX_ROTATION_DAYS}; ` +
                    `an unset rotationPeriodInDays means ${DEFAULT_ROTATION_DAYS}). ${OUT_OF_RANGE_NOTE}`,
            },
        },
    },
};

export const policy = resourcePolicy<KmsKeyRotationConfig>(meta, {
    appliesTo: [KEY_TYPE],
    rule: (subject, config) => checkKmsKeyRotation(subject, config),
    remediate: (subject, config) => remediateKmsKeyRotation(subject, config),
});
