// Every policy of the pack, in the order they run. One module per policy, named after what it guards.
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { PolicyMeta } from "./lib/rule";
import * as noHardcodedSecrets from "./no-hardcoded-secrets";
import * as noPlaintextSecretExports from "./no-plaintext-secret-exports";
import * as noPlaintextSecretConfig from "./no-plaintext-secret-config";
import * as azureKeyVaultAccessPolicies from "./azure-keyvault-access-policies";
import * as azureKeyVaultSoftDeletePurgeProtection from "./azure-keyvault-soft-delete-purge-protection";
import * as azureKeyVaultNetworkAcls from "./azure-keyvault-network-acls";
import * as awsKmsKeyRotation from "./aws-kms-key-rotation";
import * as gcpKmsCryptoKeyRotation from "./gcp-kms-crypto-key-rotation";
import * as azureKeyVaultKeyRotation from "./azure-keyvault-key-rotation";
import * as vaultTransitKeyRotation from "./vault-transit-key-rotation";
import * as awsSecretsManagerSecretCmk from "./aws-secretsmanager-secret-cmk";
import * as vaultProviderTls from "./vault-provider-tls";
import * as noStringifiedOutputs from "./no-stringified-outputs";
import * as noSecretsInPlaintextCloudFields from "./no-secrets-in-plaintext-cloud-fields";

export interface PolicyModule {
    meta: PolicyMeta;
    policy: ResourceValidationPolicy | StackValidationPolicy;
}

export const POLICY_MODULES: PolicyModule[] = [
    noHardcodedSecrets,
    noPlaintextSecretExports,
    noPlaintextSecretConfig,
    azureKeyVaultAccessPolicies,
    azureKeyVaultSoftDeletePurgeProtection,
    azureKeyVaultNetworkAcls,
    awsKmsKeyRotation,
    gcpKmsCryptoKeyRotation,
    azureKeyVaultKeyRotation,
    vaultTransitKeyRotation,
    awsSecretsManagerSecretCmk,
    vaultProviderTls,
    noStringifiedOutputs,
    noSecretsInPlaintextCloudFields,
];
