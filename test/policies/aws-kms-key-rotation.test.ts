import { policyE2e } from "../helpers/policy-e2e";

policyE2e({
    policy: "aws-kms-key-rotation",
    level: "mandatory",
    badProject: "kms-bad",
    expected: [{ resource: "aws:kms/key:Key::data-key", message: /enableKeyRotation is false/ }],
});
