// azure-keyvault-network-acls: Key Vaults are not reachable from every network.
import { resourcePolicy } from "./lib/adapter";
import { PolicyMeta } from "./lib/rule";
import { checkNetworkAcls, VAULT_TYPE } from "./rules/azure-keyvault-network-acls";

export const meta: PolicyMeta = {
    name: "azure-keyvault-network-acls",
    description: "Azure Key Vaults must deny network access by default or disable public network access.",
    enforcementLevel: "advisory",
    severity: "medium",
    framework: {
        name: "CIS Microsoft Azure Foundations",
        version: "2.0.0",
        reference: "8.7",
        specification: "Ensure that Private Endpoints are Used for Azure Key Vault",
    },
    checks: "Each azure-native:keyvault:Vault has properties.networkAcls.defaultAction Deny or properties.publicNetworkAccess Disabled.",
    remediationSteps: "Set `properties.networkAcls: { defaultAction: \"Deny\", bypass: \"AzureServices\", ipRules: [...], virtualNetworkRules: [...] }`, " +
        "or set `properties.publicNetworkAccess: \"Disabled\"` and reach the vault through a private endpoint.",
    tags: ["azure", "key-vault", "network"],
    configSchema: { properties: {} },
};

export const policy = resourcePolicy<Record<string, never>>(meta, {
    appliesTo: [VAULT_TYPE],
    rule: (subject) => checkNetworkAcls(subject),
});
