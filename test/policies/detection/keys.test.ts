import * as assert from "assert";
import { isSchemaSecretInput, isSecretBearingKey } from "../../../policies/detection";
import { keyTokens } from "../../../policies/detection/keys";
import { SCHEMA_SECRET_INPUTS } from "../../../policies/detection/schema-secrets.generated";

const SECRET = [
    "password", "Password", "PASSWORD", "passwd", "pwd", "db_password", "DB_PASSWORD", "dbPass", "adminpassword",
    "masterPassword", "masterUserPassword", "administratorLoginPassword", "adminPassword", "rootPassword", "passwordWo",
    "passphrase", "privateKeyPassword", "clientCertificatePassword",
    "secret", "clientSecret", "client_secret", "client-secret", "webhookSecret", "sharedSecret", "signingSecret", "secretString", "secretBinary", "secret_value",
    "token", "accessToken", "authToken", "apiToken", "vaultToken", "sasToken", "bearerToken", "refreshToken", "sessionToken",
    "X-Vault-Token", "VAULT_TOKEN", "GITHUB_TOKEN", "HF_TOKEN", "oauth2Token", "tokenReviewerJwt",
    "apiKey", "api_key", "api-key", "APIKey", "apikey", "API_KEY", "OPENAI_API_KEY", "x-api-key", "Ocp-Apim-Subscription-Key",
    "accessKey", "secretKey", "secretAccessKey", "AWS_SECRET_ACCESS_KEY", "aws.secret.access.key", "privateKey", "private_key",
    "privateKeyPem", "privateKeyPkcs8", "accountKey", "storageAccountKey", "sharedKey", "primaryKey", "masterKey", "signingKey", "clientKey",
    "connectionString", "connection_string", "primaryConnectionString", "connStr", "AzureWebJobsStorageConnectionString",
    "credentials", "credential", "basicAuthCredentials", "creds", "authorization", "Authorization",
    "DB_CONNECTION_STRING", "ConnectionStrings__Default", "ConnectionStrings:Default", "connectionStrings__mlDb", "OPENAI_API_KEY", "WANDB_API_KEY",
];

const NOT_SECRET = [
    "secretId", "secretArn", "secretName", "secret_name", "secretVersion", "secretRotation", "secretRotationEnabled", "secretsManagerSecretArn",
    "kmsKeyId", "kms_key_id", "keyVaultId", "keyVaultUri", "keyId", "keyArn", "keyName", "keySpec", "keyType", "keyUsage", "keySize",
    "tokenUrl", "tokenUri", "token_endpoint", "tokenEndpoint", "tokenName", "tokenTtl", "tokenMaxTtl", "tokenPolicies", "tokenType", "tokenExpiry", "tokenExpiration",
    "passwordLength", "minPasswordLength", "passwordPolicy", "passwordResetRequired", "passwordReusePrevention", "passwordVersion", "passwordWoVersion",
    "passwordSecretArn", "passwordSecretRef", "passwordPath", "passwordLastUsed", "passwordEnabled",
    "recoveryWindowInDays", "rotationRules", "rotationLambdaArn", "accessKeyId", "AWS_ACCESS_KEY_ID", "clientId", "client_id", "tenantId",
    "publicKey", "sshPublicKey", "public_key_openssh", "keyVaultSecretName", "secretKeyRef", "apiKeyName", "apiKeyRequired", "apiKeySource",
    "credentialsSecretArn", "credentialType", "secretUri", "secretPath", "connectionStringName", "privateKeyPath", "description", "name", "key", "keys",
    "", "monkey", "turkey", "bypass", "compass", "tokenizer", "secretary",
    "authorizationType", "authType", "AUTH_TYPE", "authorizationScopes", "Logging__LogLevel__Default", "ConnectionStrings", "AppSettings:Region",
];

describe("detection/keys", () => {
    describe("isSecretBearingKey", () => {
        for (const k of SECRET) it(`flags ${k}`, () => assert.strictEqual(isSecretBearingKey(k), true));
        for (const k of NOT_SECRET) it(`does not flag ${k || "(empty)"}`, () => assert.strictEqual(isSecretBearingKey(k), false));
    });

    it("keyTokens splits camel, acronym, snake, kebab and dotted names", () => {
        assert.deepStrictEqual(keyTokens("administratorLoginPassword"), ["administrator", "login", "password"]);
        assert.deepStrictEqual(keyTokens("APIKey"), ["api", "key"]);
        assert.deepStrictEqual(keyTokens("AWS_SECRET_ACCESS_KEY"), ["aws", "secret", "access", "key"]);
        assert.deepStrictEqual(keyTokens("X-Vault-Token"), ["x", "vault", "token"]);
        assert.deepStrictEqual(keyTokens("aws.secret.access.key"), ["aws", "secret", "access", "key"]);
    });

    describe("isSchemaSecretInput", () => {
        const yes: [string, string][] = [
            ["aws:rds/instance:Instance", "password"],
            ["aws:rds/instance:Instance", "passwordWo"],
            ["gcp:sql/user:User", "password"],
            ["pulumi:providers:aws", "secretKey"],
            ["pulumi:providers:azure-native", "clientSecret"],
            ["pulumi:providers:gcp", "accessToken"],
            ["aws:ssm/parameter:Parameter", "value"],
        ];
        const no: [string, string][] = [
            ["aws:rds/instance:Instance", "username"],
            ["aws:rds/instance:Instance", "kmsKeyId"],
            ["aws:s3/bucket:Bucket", "bucket"],
            ["gcp:sql/user:User", "name"],
            ["unknown:type:Thing", "password"],
            ["aws:rds/instance:Instance", "toString"],
            ["constructor", "length"],
        ];
        for (const [t, p] of yes) it(`${t} ${p} is schema-secret`, () => assert.strictEqual(isSchemaSecretInput(t, p), true));
        for (const [t, p] of no) it(`${t} ${p} is not schema-secret`, () => assert.strictEqual(isSchemaSecretInput(t, p), false));

        it("the generated table is sorted, non-empty and covers every package", () => {
            const tokens = Object.keys(SCHEMA_SECRET_INPUTS);
            assert.ok(tokens.length > 100);
            assert.deepStrictEqual(tokens, [...tokens].sort());
            for (const pkg of ["aws:", "gcp:", "vault:", "pulumi:providers:"]) assert.ok(tokens.some((t) => t.startsWith(pkg)), pkg);
            for (const props of Object.values(SCHEMA_SECRET_INPUTS)) assert.deepStrictEqual([...props], [...props].sort());
        });
    });
});
