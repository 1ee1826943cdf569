// aws-secretsmanager-secret-cmk: Secrets Manager secrets are encrypted with a customer managed KMS key.
import { resourcePolicy } from "./lib/adapter";
import { PolicyMeta } from "./lib/rule";
import { checkSecretCmk, SECRET_TYPE } from "./rules/aws-secretsmanager-secret-cmk";

export const meta: PolicyMeta = {
    name: "aws-secretsmanager-secret-cmk",
    description: "AWS Secrets Manager secrets should be encrypted with a customer managed KMS key.",
    enforcementLevel: "advisory",
    severity: "medium",
    checks: "Each aws:secretsmanager/secret:Secret sets kmsKeyId, and not to an AWS managed alias (alias/aws/...).",
    remediationSteps: "Create an `aws.kms.Key` with `enableKeyRotation: true` and set `kmsKeyId: key.arn` on the secret, " +
        "so its key policy, rotation and cross-account access are yours to control.",
    tags: ["aws", "secrets-manager", "kms"],
    configSchema: { properties: {} },
};

export const policy = resourcePolicy<Record<string, never>>(meta, {
    appliesTo: [SECRET_TYPE],
    rule: (subject) => checkSecretCmk(subject),
});
