import { policyE2e } from "../helpers/policy-e2e";

// Two findings on the one key: no rotation, and exportable.
policyE2e({
    policy: "vault-transit-key-rotation",
    level: "mandatory",
    badProject: "transit-bad",
    expected: [{ resource: "vault:transit/secretBackendKey:SecretBackendKey::ml-data", count: 2, message: /autoRotatePeriod is not set|exportable: true/ }],
});
