import * as assert from "assert";
import { isReference } from "../../../policies/detection";

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
let seed = 7;
function rnd(): number {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x80000000;
}
const rand = (n: number, a = B64) => Array.from({ length: n }, () => a[Math.floor(rnd() * a.length)]).join("");

const REFERENCES = [
    "arn:aws:secretsmanager:us-east-1:123456789012:secret:ml-api-key-AbCdEf",
    "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "arn:aws:iam::123456789012:role/trainer",
    "arn:aws-cn:s3:::bucket/key",
    "i-0abc123def4567890", "sg-0123456789abcdef0", "vpc-0a1b2c3d",
    "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/ml/providers/Microsoft.KeyVault/vaults/ml-kv",
    "https://ml-kv.vault.azure.net/secrets/db-password",
    "https://ml-kv.vault.azure.net/secrets/db-password/0123456789abcdef0123456789abcdef",
    "@Microsoft.KeyVault(SecretUri=https://ml-kv.vault.azure.net/secrets/api-key/)",
    "@Microsoft.KeyVault(VaultName=ml-kv;SecretName=db)",
    "projects/ml-prod/secrets/openai-key",
    "projects/ml-prod/secrets/openai-key/versions/3",
    "projects/ml-prod/locations/global/keyRings/ml/cryptoKeys/models",
    "//secretmanager.googleapis.com/projects/ml-prod/secrets/hf-token",
    "vault:v1:8SDd3WHDOjf7mq69CyCqYjBXAiQQAVZRkFM13ok481zoCmHnSeDX9vyf7w==",
    "vault:v12:abcdEFGH1234",
    "secret/data/ml/openai", "kv/ml/hf-token", "database/creds/readonly",
    "${var.password}", "${DB_PASSWORD}", "{{resolve:secretsmanager:prod/db:SecretString:password}}",
    "{{resolve:ssm-secure:/ml/db/password:3}}", "$(DbPassword)",
    '{"name":"OPENAI_API_KEY","valueFrom":"arn:aws:secretsmanager:us-east-1:123456789012:secret:openai-AbCdEf"}',
    '{"secretKeyRef":{"name":"hf","key":"token"}}',
    "https://api.openai.com/v1", "https://vault.internal:8200", "s3://ml-models/checkpoints/", "postgres://db.internal:5432/app",
    "/ml/prod/openai-api-key", "/aws/reference/secretsmanager/ml-db",
];

const NOT_REFERENCES = [
    "", "password", "hunter2", "changeme", "s.AbCdEfGhIjKlMnOpQrStUvWx",
    "postgres://app:Sup3rS3cret@db.internal/app",
    "https://hooks.slack.com/services/T01ABCDEF/B02GHIJKL/AbCdEfGhIjKlMnOpQrStUvWx",
    "https://mlstore.blob.core.windows.net/c?sv=2022-11-02&sig=AbCdEf0123456789AbCdEf0123456789%3D",
    "https://api.example.com/v1?api_key=abc123def456",
    "https://x-access-token:tok@github.com/org/repo.git",
    "arn-like-but-not:aws", "arn:azure:thing",
    "/K7MDENG/bPxRfiCYzXq3/Ab9dEfGhIj0Kl", // base64 starting with "/": random segments, not an SSM name
    "secret/Xq9Zt3Lp0Ab8Cd7Ef6Gh5Ij4Kl", // a "path" whose segment is random text
    "{\"password\":\"Sup3rS3cret\",\"user\":\"app\"}",
    "projects/ml/secrets/x and more words",
    "vault:v1:", "${unclosed",
];

describe("detection/references", () => {
    for (const [i, r] of REFERENCES.entries()) it(`reference #${i} is a reference`, () => assert.strictEqual(isReference(r), true, r));
    for (const [i, r] of NOT_REFERENCES.entries()) it(`non-reference #${i} is not a reference`, () => assert.strictEqual(isReference(r), false, `#${i}`));

    it("never treats random base64 (with or without slashes) as a reference", () => {
        for (let i = 0; i < 2000; i++) {
            const s = rand(20 + (i % 70));
            assert.strictEqual(isReference(s), false, `sample ${i}`);
            assert.strictEqual(isReference("/" + s), false, `sample ${i} with a leading slash`);
        }
    });

    it("ignores surrounding whitespace and rejects very long values", () => {
        assert.strictEqual(isReference("  arn:aws:iam::123456789012:role/x \n"), true);
        assert.strictEqual(isReference("arn:aws:iam::123456789012:role/" + "x".repeat(5000)), false);
    });
});
