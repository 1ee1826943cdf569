// Shared by azure-keyvault-ml and vault-kv-azure-ml: an Azure Machine Learning workspace with everything Azure
// requires for it (Key Vault, storage account, Application Insights on a Log Analytics workspace), set up securely:
//
// - Key Vault: RBAC authorization (no access policies), soft delete + purge protection, firewall denying by default
//   (trusted Azure services such as Azure ML bypass it; add operator IPs through `allowedIpRanges`).
// - Storage: HTTPS only, TLS 1.2 minimum, no anonymous blob access.
// - Workspace: system-assigned identity, linked to the vault by its Azure RESOURCE ID (not its URI), and granted
//   "Key Vault Secrets User" on that vault only.
import * as pulumi from "@pulumi/pulumi";
import * as applicationinsights from "@pulumi/azure-native/applicationinsights";
import * as authorization from "@pulumi/azure-native/authorization";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as machinelearningservices from "@pulumi/azure-native/machinelearningservices";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import * as storage from "@pulumi/azure-native/storage";

/** Built-in role "Key Vault Secrets User": read secret contents. */
export const KEY_VAULT_SECRETS_USER_ROLE_ID = "4633458b-17de-408a-b874-0445c86b69e6";

export interface SecureMlWorkspaceArgs {
    resourceGroupName: pulumi.Input<string>;
    /** Defaults to the provider's `azure-native:location`. */
    location?: pulumi.Input<string>;
    /** Entra ID tenant of the Key Vault (e.g. from `authorization.getClientConfigOutput().tenantId`). */
    tenantId: pulumi.Input<string>;
    /** Subscription holding the role definition (e.g. from `getClientConfigOutput().subscriptionId`). */
    subscriptionId: pulumi.Input<string>;
    /** Fixed workspace name; auto-named when omitted. */
    workspaceName?: pulumi.Input<string>;
    /** Public IPv4 addresses or CIDR ranges allowed through the Key Vault firewall (operators, CI runners). */
    allowedIpRanges?: string[];
    tags?: Record<string, string>;
}

export interface SecureMlWorkspace {
    vault: keyvault.Vault;
    storageAccount: storage.StorageAccount;
    logAnalytics: operationalinsights.Workspace;
    appInsights: applicationinsights.Component;
    workspace: machinelearningservices.Workspace;
    secretsUserAssignment: authorization.RoleAssignment;
}

export function createSecureMlWorkspace(
    args: SecureMlWorkspaceArgs,
    opts: pulumi.CustomResourceOptions = {},
): SecureMlWorkspace {
    const common = { resourceGroupName: args.resourceGroupName, location: args.location, tags: args.tags };

    const vault = new keyvault.Vault("mlkv", {
        ...common,
        properties: {
            tenantId: args.tenantId,
            sku: { family: keyvault.SkuFamily.A, name: keyvault.SkuName.Standard },
            // Access is granted with Azure RBAC role assignments, never with vault access policies.
            enableRbacAuthorization: true,
            enableSoftDelete: true,
            softDeleteRetentionInDays: 90,
            enablePurgeProtection: true,
            networkAcls: {
                defaultAction: keyvault.NetworkRuleAction.Deny,
                bypass: keyvault.NetworkRuleBypassOptions.AzureServices,
                ipRules: (args.allowedIpRanges ?? []).map((value) => ({ value })),
            },
        },
    }, opts);

    const storageAccount = new storage.StorageAccount("mlstore", {
        ...common,
        kind: storage.Kind.StorageV2,
        sku: { name: storage.SkuName.Standard_LRS },
        enableHttpsTrafficOnly: true,
        minimumTlsVersion: storage.MinimumTlsVersion.TLS1_2,
        allowBlobPublicAccess: false,
        encryption: {
            keySource: storage.KeySource.Microsoft_Storage,
            services: {
                blob: { enabled: true, keyType: storage.KeyType.Account },
                file: { enabled: true, keyType: storage.KeyType.Account },
            },
            requireInfrastructureEncryption: true,
        },
    }, opts);

    const logAnalytics = new operationalinsights.Workspace("mllogs", {
        ...common,
        sku: { name: operationalinsights.WorkspaceSkuNameEnum.PerGB2018 },
        retentionInDays: 30,
    }, opts);

    const appInsights = new applicationinsights.Component("mlinsights", {
        ...common,
        kind: "web",
        applicationType: applicationinsights.ApplicationType.Web,
        ingestionMode: applicationinsights.IngestionMode.LogAnalytics,
        workspaceResourceId: logAnalytics.id,
    }, opts);

    const workspace = new machinelearningservices.Workspace("mlworkspace", {
        ...common,
        workspaceName: args.workspaceName,
        sku: { name: "Basic", tier: machinelearningservices.SkuTier.Basic },
        identity: { type: machinelearningservices.ManagedServiceIdentityType.SystemAssigned },
        // Resource ids, as the API requires (the vault's URI is not accepted here).
        keyVault: vault.id,
        storageAccount: storageAccount.id,
        applicationInsights: appInsights.id,
    }, opts);

    // The workspace identity may read secrets from this vault only.
    const secretsUserAssignment = new authorization.RoleAssignment("mlworkspace-kv-secrets-user", {
        scope: vault.id,
        roleDefinitionId: pulumi.interpolate`/subscriptions/${args.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${KEY_VAULT_SECRETS_USER_ROLE_ID}`,
        // Azure always sets principalId for a SystemAssigned identity once the workspace exists.
        principalId: workspace.identity.apply((identity) => identity?.principalId ?? ""),
        principalType: authorization.PrincipalType.ServicePrincipal,
        description: "Azure ML workspace reads pipeline secrets from its Key Vault",
    }, opts);

    return { vault, storageAccount, logAnalytics, appInsights, workspace, secretsUserAssignment };
}
