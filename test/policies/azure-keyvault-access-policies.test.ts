import { policyE2e } from "../helpers/policy-e2e";

// The good program passes only through its standalone AccessPolicy resource (vaultName: vault.name): in preview the
// name is unknown and the link comes from propertyDependencies.
policyE2e({
    policy: "azure-keyvault-access-policies",
    level: "mandatory",
    badProject: "kv-access-bad",
    expected: [{ resource: "azure-native:keyvault:Vault::kv", message: /has no access model/ }],
});
