// Compliant version of seed 003: an ML API key in HashiCorp Vault (KV v2) and an Azure ML workspace.
//
// Differences from the document's program:
// - The Vault address comes from config and must be https; the Vault token and the API key come only from secret
//   config, so neither appears in code or in plaintext state.
// - The secret lives in a KV v2 engine mounted by this stack (`vault.kv.SecretV2`), not a generic write to a
//   hand-built `secret/data/...` path.
// - The Azure ML workspace is real and secure: resource group, Key Vault (RBAC, purge protection, firewall), storage,
//   Application Insights and the workspace identity's "Key Vault Secrets User" role (shared with azure-keyvault-ml).
import * as pulumi from "@pulumi/pulumi";
import * as vault from "@pulumi/vault";
import * as authorization from "@pulumi/azure-native/authorization";
import * as resources from "@pulumi/azure-native/resources";
import { createSecureMlWorkspace } from "../shared/azure-ml";

const config = new pulumi.Config();
const vaultAddress = config.require("vaultAddress");
if (!vaultAddress.startsWith("https://")) {
    throw new Error(`vaultAddress must be an https:// URL (got a ${vaultAddress.split(":")[0]} URL)`);
}
const vaultToken = config.requireSecret("vaultToken");
const apiKey = config.requireSecret("apiKey");
const kvMountPath = config.get("kvMountPath") ?? "ml-secrets";

// ---- HashiCorp Vault ----
const vaultProvider = new vault.Provider("vault", {
    address: vaultAddress,
    token: vaultToken,
});

const kv = new vault.Mount("ml-kv", {
    path: kvMountPath,
    type: "kv",
    options: { version: "2" },
    description: "KV v2 secrets for ML pipelines",
}, { provider: vaultProvider });

const apiKeySecret = new vault.kv.SecretV2("apiKeySecret", {
    mount: kv.path,
    name: "ml_api_key",
    dataJson: pulumi.jsonStringify({ api_key: apiKey }),
}, { provider: vaultProvider });

// ---- Azure Machine Learning ----
const client = authorization.getClientConfigOutput();
const tags = { project: pulumi.getProject(), stack: pulumi.getStack(), purpose: "ml-pipeline-secrets" };
const resourceGroup = new resources.ResourceGroup("ml-rg", { tags });

const ml = createSecureMlWorkspace({
    resourceGroupName: resourceGroup.name,
    tenantId: client.tenantId,
    subscriptionId: client.subscriptionId,
    workspaceName: config.get("workspaceName") ?? "my-ml-workspace",
    tags,
});

export const mlWorkspaceName = ml.workspace.name;
// Where the pipeline reads the key (e.g. `vault kv get -mount=ml-secrets ml_api_key`); never its data.
export const apiKeySecretPath = apiKeySecret.path;
