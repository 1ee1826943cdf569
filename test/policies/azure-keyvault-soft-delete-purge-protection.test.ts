import { policyE2e } from "../helpers/policy-e2e";

policyE2e({
    policy: "azure-keyvault-soft-delete-purge-protection",
    level: "advisory",
    badProject: "kv-recover-bad",
    expected: [{ resource: "azure-native:keyvault:Vault::kv", message: /enablePurgeProtection is not set/ }],
});
