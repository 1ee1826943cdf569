// Compliant version of seed 001: an AWS Secrets Manager secret for an ML model service's API key, plus a Google
// Cloud KMS key for the same service.
//
// - Both providers are explicit and configured from stack config (no hard-coded region or project), and every
//   resource names its provider, so nothing silently lands in an ambient default account.
// - The secret is encrypted with a customer-managed, rotating KMS key. Its value is set out of band
//   (`aws secretsmanager put-secret-value ...`), so no secret value ever passes through this program or its state.
// - The GCP crypto key is a symmetric ENCRYPT_DECRYPT key that rotates every 90 days (the seed used 100000s, about
//   28 hours, which is legal but meaningless; 90 days is the usual compliance ceiling).
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";

const config = new pulumi.Config();
const awsRegion = config.require("awsRegion");
const gcpProject = config.require("gcpProject");
const gcpRegion = config.require("gcpRegion");
const gcpKmsLocation = config.get("gcpKmsLocation") ?? gcpRegion;

const NINETY_DAYS = `${90 * 24 * 60 * 60}s`; // "7776000s"

const awsProvider = new aws.Provider("aws", { region: awsRegion });
const gcpProvider = new gcp.Provider("gcp", { project: gcpProject, region: gcpRegion });

// ---- AWS: secret on a rotating customer-managed key ----
const secretKey = new aws.kms.Key("apiSecretKey", {
    description: "Encrypts the ML model service API key in Secrets Manager",
    enableKeyRotation: true,
    rotationPeriodInDays: 365,
    deletionWindowInDays: 30,
}, { provider: awsProvider });

const apiSecret = new aws.secretsmanager.Secret("apiSecret", {
    description: "API key for my ML model service (value set out of band)",
    kmsKeyId: secretKey.arn,
    recoveryWindowInDays: 7,
}, { provider: awsProvider });

// ---- Google Cloud: key ring and a rotating symmetric key ----
const keyRing = new gcp.kms.KeyRing("keyRing", {
    location: gcpKmsLocation,
}, { provider: gcpProvider });

const cryptoKey = new gcp.kms.CryptoKey("cryptoKey", {
    keyRing: keyRing.id,
    purpose: "ENCRYPT_DECRYPT",
    rotationPeriod: NINETY_DAYS,
    versionTemplate: {
        algorithm: "GOOGLE_SYMMETRIC_ENCRYPTION",
        protectionLevel: "SOFTWARE",
    },
    // Key material is destroyed 30 days after a version is scheduled for destruction (the default is 30 days too,
    // spelled out so it is reviewed).
    destroyScheduledDuration: `${30 * 24 * 60 * 60}s`,
}, { provider: gcpProvider });

// Identifiers only.
export const awsSecretArn = apiSecret.arn;
export const awsSecretKmsKeyArn = secretKey.arn;
export const gcpKeyRingId = keyRing.id;
export const gcpCryptoKeyId = cryptoKey.id;
