// Compliant version of seed 002: an Azure ML workspace that takes its secrets from Azure Key Vault.
//
// Differences from the document's program:
// - The vault uses Azure RBAC (`enableRbacAuthorization`) instead of an empty access-policy list, has soft delete and
//   purge protection, and a firewall that denies by default.
// - There is ONE workspace, created with everything Azure requires (storage account, Application Insights backed by
//   Log Analytics, Key Vault), linked to the vault by the vault's resource id; the document's second workspace passed
//   the vault URI, which the API rejects.
// - The workspace's managed identity gets "Key Vault Secrets User" on the vault, so pipelines can read secrets.
// - The tenant comes from the credentials Pulumi runs with, not a hand-maintained config value.
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as resources from "@pulumi/azure-native/resources";
import { createSecureMlWorkspace } from "../shared/azure-ml";

const config = new pulumi.Config();
const allowedIpRanges = config.getObject<string[]>("allowedIpRanges") ?? [];

const client = authorization.getClientConfigOutput();
const tags = { project: pulumi.getProject(), stack: pulumi.getStack(), purpose: "ml-pipeline-secrets" };

const resourceGroup = new resources.ResourceGroup("ml-rg", { tags });

const ml = createSecureMlWorkspace({
    resourceGroupName: resourceGroup.name,
    tenantId: client.tenantId,
    subscriptionId: client.subscriptionId,
    allowedIpRanges,
    tags,
});

export const keyVaultUri = ml.vault.properties.vaultUri;
export const mlWorkspaceName = ml.workspace.name;
