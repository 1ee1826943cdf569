import { policyE2e } from "../helpers/policy-e2e";

policyE2e({
    policy: "azure-keyvault-network-acls",
    level: "advisory",
    badProject: "kv-network-bad",
    expected: [{ resource: "azure-native:keyvault:Vault::kv", message: /accepts traffic from any network/ }],
});
