// Compliant version of seed 000: an ML pipeline's API key in AWS Secrets Manager.
//
// - The secret is encrypted with a customer-managed KMS key that rotates yearly (not the AWS-managed
//   aws/secretsmanager key), so access to the ciphertext can be governed by the key's policy and audited.
// - The value comes only from secret stack config (`pulumi config set --secret apiKey ...`), so it stays encrypted
//   in Pulumi state; it is never exported.
// - The pipeline role can read exactly this secret and decrypt with exactly this key, nothing else.
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

const config = new pulumi.Config();
// Required and secret: fails fast when missing and keeps the value a secret Output.
const apiKey = config.requireSecret("apiKey");
// Which AWS service runs the pipeline and assumes the role (SageMaker pipelines by default).
const pipelineServicePrincipal = config.get("pipelineServicePrincipal") ?? "sagemaker.amazonaws.com";

const tags = { project: pulumi.getProject(), stack: pulumi.getStack(), purpose: "ml-pipeline-secrets" };

// Customer-managed key. With no explicit key policy AWS applies the default one, which delegates access control to
// IAM policies in this account (used by the role policy below).
const key = new aws.kms.Key("mlPipelineSecretsKey", {
    description: "Encrypts the ML pipeline API key in Secrets Manager",
    enableKeyRotation: true,
    rotationPeriodInDays: 365,
    deletionWindowInDays: 30,
    tags,
});

new aws.kms.Alias("mlPipelineSecretsKeyAlias", {
    name: pulumi.interpolate`alias/${pulumi.getProject()}-${pulumi.getStack()}-ml-pipeline-secrets`,
    targetKeyId: key.keyId,
});

const apiKeySecret = new aws.secretsmanager.Secret("apiKeySecret", {
    description: "API key for the automated machine learning pipeline",
    kmsKeyId: key.arn,
    recoveryWindowInDays: 7,
    tags,
});

new aws.secretsmanager.SecretVersion("apiKeySecretVersion", {
    secretId: apiKeySecret.id,
    secretString: apiKey,
});

// The role the pipeline runs as.
const pipelineRole = new aws.iam.Role("mlPipelineRole", {
    description: "Execution role of the automated ML pipeline",
    assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{
            Effect: "Allow",
            Principal: { Service: pipelineServicePrincipal },
            Action: "sts:AssumeRole",
        }],
    }),
    tags,
});

// Least privilege: read this one secret, decrypt with this one key (only when called through Secrets Manager).
new aws.iam.RolePolicy("mlPipelineReadApiKey", {
    role: pipelineRole.id,
    policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ReadApiKey",
                Effect: "Allow",
                Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
                Resource: apiKeySecret.arn,
            },
            {
                Sid: "DecryptApiKey",
                Effect: "Allow",
                Action: "kms:Decrypt",
                Resource: key.arn,
                Condition: {
                    StringLike: { "kms:ViaService": "secretsmanager.*.amazonaws.com" },
                },
            },
        ],
    }),
});

// Identifiers only; the value is read at run time by the pipeline through its role.
export const apiKeySecretArn = apiKeySecret.arn;
export const pipelineRoleArn = pipelineRole.arn;
export const kmsKeyArn = key.arn;
