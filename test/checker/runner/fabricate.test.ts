import * as assert from "assert";
import { fabricate, invokeResult } from "../../../checker/runner/fabricate";
import { mergeComputed } from "../../../checker/runner/monitor";

import { SECRET_SIG, SIG_KEY } from "../../../policies/lib/wire";

describe("checker/runner/fabricate", () => {
    it("fills computed outputs inside nested objects without overriding inputs", () => {
        const inputs = { properties: { enableSoftDelete: true, tenantId: "t" }, name: "given" };
        const computed = { properties: { vaultUri: "https://v.vault.azure.net/", tenantId: "other" }, name: "made", id: "x" };
        assert.deepStrictEqual(mergeComputed(inputs, computed), {
            properties: { enableSoftDelete: true, tenantId: "t", vaultUri: "https://v.vault.azure.net/" },
            name: "given",
            id: "x",
        });
        const secretProps = { [SIG_KEY]: SECRET_SIG, value: { a: 1 } };
        assert.deepStrictEqual(mergeComputed({ properties: secretProps }, computed).properties, secretProps);
    });

    it("makes AWS ARNs in the configured region and the fake account", () => {
        const f = fabricate("aws:kms/key:Key", "k", "urn:pulumi:dev::p::aws:kms/key:Key::k", {}, { "aws:region": "eu-central-1" });
        assert.match(f.outputs.arn, /^arn:aws:kms:eu-central-1:123456789012:key\/[0-9a-f-]{36}$/);
        assert.strictEqual(f.outputs.arn.endsWith(f.id), true);
    });

    it("makes Azure Key Vault URIs and GCP key ring ids", () => {
        const v = fabricate("azure-native:keyvault:Vault", "kv", "urn:x", { vaultName: "mlkv", resourceGroupName: "rg1", properties: {} }, {});
        assert.strictEqual(v.id, "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.KeyVault/vaults/mlkv");
        assert.strictEqual(v.outputs.properties.vaultUri, "https://mlkv.vault.azure.net/");
        const g = fabricate("gcp:kms/keyRing:KeyRing", "ring", "urn:y", { name: "ml-ring", location: "europe-west1" }, { "gcp:project": "proj-1" });
        assert.strictEqual(g.id, "projects/proj-1/locations/europe-west1/keyRings/ml-ring");
    });

    it("generates a fresh random result for RandomPassword", () => {
        const a = fabricate("random:index/randomPassword:RandomPassword", "p", "urn:p", { length: 20, special: false }, {});
        const b = fabricate("random:index/randomPassword:RandomPassword", "p", "urn:p", { length: 20, special: false }, {});
        assert.strictEqual(a.outputs.result.length, 20);
        assert.match(a.outputs.result, /^[A-Za-z0-9]+$/);
        assert.notStrictEqual(a.outputs.result, b.outputs.result);
    });

    it("round-trips Vault transit encrypt/decrypt, and never secret-wraps invoke results", () => {
        const enc = invokeResult("vault:transit/getEncrypt:getEncrypt", { backend: "transit", key: "k", plaintext: { [SIG_KEY]: SECRET_SIG, value: "model-token" } }, {});
        assert.match(enc.ciphertext, /^vault:v1:/);
        const dec = invokeResult("vault:transit/getDecrypt:getDecrypt", { backend: "transit", key: "k", ciphertext: enc.ciphertext }, {});
        assert.strictEqual(dec.plaintext, "model-token");
        assert.ok(!JSON.stringify(enc).includes(SIG_KEY));
        const other = invokeResult("aws:s3/getBucket:getBucket", { bucket: { [SIG_KEY]: SECRET_SIG, value: "b" } }, {});
        assert.deepStrictEqual(other, { bucket: "b" });
        assert.strictEqual(invokeResult("aws:index/getCallerIdentity:getCallerIdentity", {}, {}).accountId, "123456789012");
    });
});
