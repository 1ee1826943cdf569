import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as random from "@pulumi/random";

const cfg = new pulumi.Config();
const modelName = cfg.require("modelName");
const dbPassword = cfg.requireSecret("dbPassword");

class Pipeline extends pulumi.ComponentResource {
    public readonly bucketName: pulumi.Output<string>;
    constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super("mlsg:test:Pipeline", name, {}, opts);
        const bucket = new aws.s3.Bucket(`${name}-artifacts`, { forceDestroy: true }, { parent: this });
        this.bucketName = bucket.bucket;
        this.registerOutputs({ bucketName: this.bucketName });
    }
}

const rotate = cfg.getBoolean("rotate") ?? true;
const key = new aws.kms.Key("model-key", { description: `key for ${modelName}`, enableKeyRotation: rotate });
const token = new random.RandomPassword("api-token", { length: 24, special: false });

const secret = new aws.secretsmanager.Secret("db-secret", { kmsKeyId: key.id, description: "db credentials" });
new aws.secretsmanager.SecretVersion("db-secret-v1", {
    secretId: secret.id,
    secretString: pulumi.interpolate`{"password":"${dbPassword}"}`,
});
new aws.ssm.Parameter("api-token-param", { type: "SecureString", value: token.result, keyId: key.arn });
new aws.ssm.Parameter("plain-param", { type: "String", value: pulumi.secret("wrapped-literal-value") });

const euProvider = new aws.Provider("eu", { region: "eu-west-1" });
new aws.s3.Bucket("eu-bucket", { tags: { mlsgAdvisory: "yes" } }, { provider: euProvider });

const pipe = new Pipeline("train");

export const keyArn = key.arn;
export const tokenValue = token.result;
export const artifacts = pipe.bucketName;
export const model = modelName;
export const flagged = pulumi.secret("exported-secret-value");
