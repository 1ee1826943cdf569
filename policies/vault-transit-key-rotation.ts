// vault-transit-key-rotation: Vault transit keys rotate automatically and are never made exportable.
import { resourcePolicy } from "./lib/adapter";
import { PolicyMeta } from "./lib/rule";
import {
    checkTransitKeyRotation,
    DEFAULT_MAX_AUTO_ROTATE_SECONDS,
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
    checks: "Each vault:transit/secretBackendKey:SecretBackendKey has autoRotatePeriod from 3600 seconds to the configured maximum " +
        "(missing or 0 is a violation), and does not set exportable or allowPlaintextBackup to true (a separate violation).",
    remediationSteps: "Set `autoRotatePeriod` (seconds) on the key, e.g. `autoRotatePeriod: 7776000` (90 days). Do not set `exportable` " +
        "or `allowPlaintextBackup`: Vault never lets them be turned off, so a key that has them must be replaced by a new key. " +
        "Under the `remediate` level the pack sets autoRotatePeriod itself.",
    tags: ["vault", "transit", "key-rotation"],
    configSchema: {
        properties: {
            maxAutoRotatePeriodSeconds: {
                type: "number",
                default: DEFAULT_MAX_AUTO_ROTATE_SECONDS,
                minimum: MIN_AUTO_ROTATE_SECONDS,
                description: "Longest allowed autoRotatePeriod in seconds (default 7776000 = 90 days; Vault needs at least 3600).",
            },
        },
    },
};

export const policy = resourcePolicy<VaultTransitRotationConfig>(meta, {
    appliesTo: [TRANSIT_KEY_TYPE],
    rule: (subject, config) => checkTransitKeyRotation(subject, config),
    remediate: (subject, config) => remediateTransitKeyRotation(subject, config),
});
