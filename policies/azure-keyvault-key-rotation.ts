// azure-keyvault-key-rotation: Azure Key Vault keys rotate automatically within the allowed interval and expire.
import { resourcePolicy } from "./lib/adapter";
import { PolicyMeta } from "./lib/rule";
import {
    AzureKeyRotationConfig,
    checkKeyRotation,
    DEFAULT_MAX_ROTATION_INTERVAL,
    KEY_TYPE,
    remediateKeyRotation,
} from "./rules/azure-keyvault-key-rotation";

export const meta: PolicyMeta = {
    name: "azure-keyvault-key-rotation",
    description: "Azure Key Vault keys must have a rotation policy that rotates them within the allowed interval, and an expiry.",
    enforcementLevel: "mandatory",
    severity: "high",
    framework: {
        name: "CIS Microsoft Azure Foundations",
        version: "2.0.0",
        reference: "8.8",
        specification: "Ensure Automatic Key Rotation is Enabled within Azure Key Vault for the Supported Services",
    },
    checks: "Each azure-native:keyvault:Key has properties.rotationPolicy with a Rotate lifetime action triggered within the configured " +
        "maximum (timeAfterCreate, or expiryTime minus timeBeforeExpiry), and an expiry (rotationPolicy.attributes.expiryTime or properties.attributes.expires).",
    remediationSteps: `Add \`properties.rotationPolicy: { lifetimeActions: [{ action: { type: "rotate" }, trigger: { timeAfterCreate: "${DEFAULT_MAX_ROTATION_INTERVAL}" } }], ` +
        "attributes: { expiryTime: \"P1Y\" } }` to the key. Under the `remediate` level the pack adds such a policy when the key has none.",
    tags: ["azure", "key-vault", "key-rotation"],
    configSchema: {
        properties: {
            maxRotationInterval: {
                type: "string",
                default: DEFAULT_MAX_ROTATION_INTERVAL,
                pattern: "^P[0-9YMWDTHS.,]{1,62}$",
                maxLength: 64,
                description: "Longest time from a key version's creation to its rotation, as an ISO-8601 duration (PnYnMnDTnHnMnS or PnW); " +
                    `years count 365 days and months 30 days. Default ${DEFAULT_MAX_ROTATION_INTERVAL}. An invalid value is reported as a config problem and the default is used.`,
            },
        },
    },
};

export const policy = resourcePolicy<AzureKeyRotationConfig>(meta, {
    appliesTo: [KEY_TYPE],
    rule: (subject, config) => checkKeyRotation(subject, config),
    remediate: (subject, config) => remediateKeyRotation(subject, config),
});
