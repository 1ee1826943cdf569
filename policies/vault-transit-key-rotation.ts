// vault-transit-key-rotation: Vault transit keys rotate automatically and are never made exportable.
import { resourcePolicy } from "./lib/adapter";
import { PolicyMeta } from "./lib/rule";
import { OUT_OF_RANGE_NOTE } from "./lib/settings";

const DAY = 86400;
import {
    checkTransitKeyRotation,
    DEFAULT_MAX_AUTO_ROTATE_SECONDS,
    MAX_AUTO_ROTATE_SETTING,
    MIN_AUTO_ROTATE_SECONDS,
    remediateTransitKeyRotation,
    TRANSIT_KEY_TYPE,
    VaultTransitRotationConfig,
} from "./rules/vault-transit-key-rotation";

export const meta: PolicyMeta = {
    name: "vault-transit-key-rotation",
    description: "Vault transit keys must rotate automatically and must not be exportable or allow plaintext backups.",
    enforcementLevel: "mandatory",
    severity: "high",
    checks: `Each vault:transit/secretBackendKey:SecretBackendKey has autoRotatePeriod from ${MIN_AUTO_ROTATE_SECONDS} seconds to the configured maximum ` +
        "(missing or 0 is a violation), and does not set exportable or allowPlaintextBackup to true (a separate violation).",
    remediationSteps: `Set \`autoRotatePeriod\` (seconds) on the key, e.g. \`autoRotatePeriod: ${DEFAULT_MAX_AUTO_ROTATE_SECONDS}\` (${DEFAULT_MAX_AUTO_ROTATE_SECONDS / DAY} days). Do not set \`exportable\` ` +
        "or `allowPlaintextBackup`: Vault never lets them be turned off, so a key that has them must be replaced by a new key. " +
        "Under the `remediate` level the pack sets autoRotatePeriod itself.",
    tags: ["vault", "transit", "key-rotation"],
    configSchema: {
        properties: {
            maxAutoRotatePeriodSeconds: {
                type: "number",
                default: MAX_AUTO_ROTATE_SETTING.default,
                minimum: MAX_AUTO_ROTATE_SETTING.minimum,
                description: `Longest allowed autoRotatePeriod in seconds (default ${DEFAULT_MAX_AUTO_ROTATE_SECONDS} = ${DEFAULT_MAX_AUTO_ROTATE_SECONDS / DAY} days; ` +
                    `Vault needs at least ${MIN_AUTO_ROTATE_SECONDS}). ${OUT_OF_RANGE_NOTE}`,
            },
        },
    },
};

export const policy = resourcePolicy<VaultTransitRotationConfig>(meta, {
    appliesTo: [TRANSIT_KEY_TYPE],
    rule: (subject, config) => checkTransitKeyRotation(subject, config),
    remediate: (subject, config) => remediateTransitKeyRotation(subject, config),
});
