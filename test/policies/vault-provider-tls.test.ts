import { policyE2e } from "../helpers/policy-e2e";

policyE2e({
    policy: "vault-provider-tls",
    level: "advisory",
    badProject: "vault-tls-bad",
    expected: [{ resource: "pulumi:providers:vault::vault", message: /plain http:\/\// }],
});
