import { policyE2e } from "../helpers/policy-e2e";

policyE2e({
    policy: "gcp-kms-crypto-key-rotation",
    level: "mandatory",
    badProject: "gcp-kms-bad",
    expected: [{ resource: "gcp:kms/cryptoKey:CryptoKey::data-key", message: /rotationPeriod is 31536000s/ }],
});
