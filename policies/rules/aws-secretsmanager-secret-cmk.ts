// aws-secretsmanager-secret-cmk, the pure logic: a Secrets Manager secret should be encrypted with a customer
// managed KMS key (`kmsKeyId`), not the AWS managed key (`alias/aws/secretsmanager`, used when kmsKeyId is unset),
// so key policy, rotation and cross-account use stay under your control.
import { findings, notApplicable, Outcome, ResourceSubject } from "../lib/rule";
import { readString } from "../lib/wire";

export const SECRET_TYPE = "aws:secretsmanager/secret:Secret";

/** True for `alias/aws/...` and for alias ARNs `arn:<partition>:kms:<region>:<account>:alias/aws/...`. */
export function isAwsManagedAlias(keyId: string): boolean {
    const k = keyId.trim();
    if (k.startsWith("alias/aws/")) return true;
    return k.startsWith("arn:") && k.includes(":alias/aws/");
}

export function checkSecretCmk(subject: ResourceSubject): Outcome {
    if (subject.type !== SECRET_TYPE) return notApplicable(`applies only to ${SECRET_TYPE}`);
    const key = readString(subject.props, ["kmsKeyId"]);
    if (key.kind === "unknown") return notApplicable(`kmsKeyId of secret '${subject.name}' is unknown during preview; checked at update`);
    const fix = "Set kmsKeyId to a customer managed KMS key (for example kmsKeyId: key.arn, with rotation on).";
    if (key.kind === "absent" || (key.kind === "known" && key.value.trim() === "")) {
        return findings({ message: `Secrets Manager secret '${subject.name}' has no kmsKeyId, so it is encrypted with the AWS managed key aws/secretsmanager. ${fix}` });
    }
    if (key.kind === "invalid") {
        return findings({ message: `Secrets Manager secret '${subject.name}' has a kmsKeyId that is not a string, so its key cannot be confirmed. ${fix}` });
    }
    if (isAwsManagedAlias(key.value)) {
        return findings({ message: `Secrets Manager secret '${subject.name}' uses an AWS managed key alias (alias/aws/...) as kmsKeyId. ${fix}` });
    }
    return findings();
}
