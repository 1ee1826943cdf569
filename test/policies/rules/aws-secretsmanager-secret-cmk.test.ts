import * as assert from "assert";
import { checkSecretCmk, isAwsManagedAlias, SECRET_TYPE } from "../../../policies/rules/aws-secretsmanager-secret-cmk";
import { Case, neverThrows, runCases, secret, UNKNOWN_STRING } from "../../helpers/rule-cases";

const KEY_ARN = "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

const cases: Case[] = [
    { name: "customer managed key ARN", props: { name: "ml/api-key", kmsKeyId: KEY_ARN }, expect: "pass" },
    { name: "customer managed key id", props: { kmsKeyId: "1234abcd-12ab-34cd-56ef-1234567890ab" }, expect: "pass" },
    { name: "customer alias", props: { kmsKeyId: "alias/ml-secrets" }, expect: "pass" },
    { name: "customer alias ARN", props: { kmsKeyId: "arn:aws:kms:us-west-2:123456789012:alias/ml-secrets" }, expect: "pass" },
    { name: "secret-wrapped key ARN", props: { kmsKeyId: secret(KEY_ARN) }, expect: "pass", never: [KEY_ARN] },
    { name: "no kmsKeyId", props: { name: "ml/api-key" }, expect: "fail", match: [/Secrets Manager secret 'res' has no kmsKeyId/, /kmsKeyId: key\.arn/] },
    { name: "empty kmsKeyId", props: { kmsKeyId: "" }, expect: "fail" },
    { name: "null kmsKeyId", props: { kmsKeyId: null }, expect: "fail" },
    { name: "AWS managed alias", props: { kmsKeyId: "alias/aws/secretsmanager" }, expect: "fail", match: [/AWS managed key alias/] },
    { name: "another AWS managed alias", props: { kmsKeyId: "alias/aws/kms" }, expect: "fail" },
    { name: "AWS managed alias ARN", props: { kmsKeyId: "arn:aws-us-gov:kms:us-gov-west-1:123456789012:alias/aws/secretsmanager" }, expect: "fail" },
    { name: "secret-wrapped AWS alias", props: { kmsKeyId: secret("alias/aws/secretsmanager") }, expect: "fail" },
    { name: "number", props: { kmsKeyId: 42 }, expect: "fail", match: [/not a string/] },
    { name: "object", props: { kmsKeyId: { id: KEY_ARN } }, expect: "fail", never: [KEY_ARN] },
    { name: "unknown", props: { kmsKeyId: UNKNOWN_STRING }, expect: "na", match: [/unknown during preview; checked at update/] },
    { name: "other type", type: "aws:secretsmanager/secretVersion:SecretVersion", props: {}, expect: "na" },
];

describe("aws-secretsmanager-secret-cmk rule", () => {
    runCases("cases", SECRET_TYPE, cases, checkSecretCmk);

    it("recognises AWS managed aliases only", () => {
        assert.strictEqual(isAwsManagedAlias("alias/aws/secretsmanager"), true);
        assert.strictEqual(isAwsManagedAlias("alias/awsome"), false);
        assert.strictEqual(isAwsManagedAlias("alias/aws-ml"), false);
        assert.strictEqual(isAwsManagedAlias("arn:aws:kms:eu-west-1:123456789012:alias/aws/secretsmanager"), true);
    });

    neverThrows(SECRET_TYPE, ["kmsKeyId", "name"], checkSecretCmk);
});
