import { policyE2e } from "../helpers/policy-e2e";

policyE2e({
    policy: "aws-secretsmanager-secret-cmk",
    level: "advisory",
    badProject: "sm-cmk-bad",
    expected: [{ resource: "aws:secretsmanager/secret:Secret::api-key", message: /AWS managed key alias/ }],
});
