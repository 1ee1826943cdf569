import { policyE2e } from "../helpers/policy-e2e";

policyE2e({
    policy: "azure-keyvault-key-rotation",
    level: "mandatory",
    badProject: "kv-key-bad",
    expected: [{ resource: "azure-native:keyvault:Key::data-key", message: /properties\.rotationPolicy is not set/ }],
});
