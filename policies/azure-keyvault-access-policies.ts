// azure-keyvault-access-policies: every Azure Key Vault has an access model (RBAC, inline access policies, or
// standalone AccessPolicy resources). A stack rule, since standalone AccessPolicy resources are separate resources.
import { stackPolicy } from "./lib/adapter";
import { PolicyMeta } from "./lib/rule";
import { checkVaultAccessPolicies } from "./rules/azure-keyvault-access-policies";

export const meta: PolicyMeta = {
    name: "azure-keyvault-access-policies",
    description: "Azure Key Vaults must use RBAC authorization or grant access through access policies.",
    enforcementLevel: "mandatory",
    severity: "high",
    framework: {
        name: "CIS Microsoft Azure Foundations",
        version: "2.0.0",
        reference: "8",
        specification: "Key Vault: access to vaults is granted through Azure RBAC or access policies",
    },
    checks: "Each azure-native:keyvault:Vault (not createMode recover) has properties.enableRbacAuthorization true, a non-empty " +
        "properties.accessPolicies, or an azure-native:keyvault:AccessPolicy (or classic azure:keyvault/accessPolicy:AccessPolicy) " +
        "resource for it (matching vaultName/resourceGroupName or keyVaultId, or a target property depending on the vault) that grants " +
        "at least one permission. In preview, an AccessPolicy whose unknown target depends on another vault does not count for this one.",
    remediationSteps: "Set `properties.enableRbacAuthorization: true` and grant Key Vault roles with role assignments (preferred), " +
        "or add `properties.accessPolicies` entries, or declare `azure-native:keyvault:AccessPolicy` resources with `vaultName: vault.name` " +
        "and at least one key, secret or certificate permission.",
    tags: ["azure", "key-vault", "access"],
    configSchema: { properties: {} },
};

export const policy = stackPolicy<Record<string, never>>(meta, (resources) => checkVaultAccessPolicies(resources));
