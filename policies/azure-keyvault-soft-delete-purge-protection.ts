// azure-keyvault-soft-delete-purge-protection: Key Vaults are recoverable (soft delete and purge protection).
import { resourcePolicy } from "./lib/adapter";
import { PolicyMeta } from "./lib/rule";
import { checkSoftDeletePurgeProtection, VAULT_TYPE } from "./rules/azure-keyvault-soft-delete-purge-protection";

export const meta: PolicyMeta = {
    name: "azure-keyvault-soft-delete-purge-protection",
    description: "Azure Key Vaults must have soft delete and purge protection enabled.",
    enforcementLevel: "advisory",
    severity: "medium",
    framework: {
        name: "CIS Microsoft Azure Foundations",
        version: "2.0.0",
        reference: "8.5",
        specification: "Ensure the Key Vault is Recoverable",
    },
    checks: "Each azure-native:keyvault:Vault has properties.enableSoftDelete not false and properties.enablePurgeProtection true.",
    remediationSteps: "Set `properties.enablePurgeProtection: true` and leave `properties.enableSoftDelete` unset or true. " +
        "Purge protection cannot be turned off once on, which is the point: deleted keys and secrets stay recoverable.",
    tags: ["azure", "key-vault", "recoverability"],
    configSchema: { properties: {} },
};

export const policy = resourcePolicy<Record<string, never>>(meta, {
    appliesTo: [VAULT_TYPE],
    rule: (subject) => checkSoftDeletePurgeProtection(subject),
});
