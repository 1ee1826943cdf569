// Compliant version of seed 004: encrypting an ML API key with HashiCorp Vault's transit engine.
//
// Differences from the document's program:
// - The document's `vault.TransitSecretBackend` and `key.encrypt()/decrypt()` do not exist: the engine is a
//   `vault.Mount` of type transit and encryption is the `vault.transit.getEncryptOutput` data source.
// - The key rotates automatically every 30 days and can be neither deleted, exported nor backed up in plaintext.
// - The API key comes from secret config instead of a literal, and is never decrypted or exported: only the
//   ciphertext leaves the stack (it is safe to store; decrypting needs a Vault token with transit/decrypt rights).
// - The provider's address (https) and token come from config, the token from secret config.
import * as pulumi from "@pulumi/pulumi";
import * as vault from "@pulumi/vault";

const config = new pulumi.Config();
const vaultAddress = config.require("vaultAddress");
if (!vaultAddress.startsWith("https://")) {
    throw new Error(`vaultAddress must be an https:// URL (got a ${vaultAddress.split(":")[0]} URL)`);
}
const vaultToken = config.requireSecret("vaultToken");
const mlApiKey = config.requireSecret("mlApiKey");

const THIRTY_DAYS_SECONDS = 30 * 24 * 60 * 60; // 2592000

const vaultProvider = new vault.Provider("vault", {
    address: vaultAddress,
    token: vaultToken,
});

const transit = new vault.Mount("transit", {
    path: "transit",
    type: "transit",
    description: "Transit backend for encrypting ML API keys",
}, { provider: vaultProvider });

const key = new vault.transit.SecretBackendKey("ml-api-key", {
    backend: transit.path,
    name: "ml-api-key",
    type: "aes256-gcm96",
    autoRotatePeriod: THIRTY_DAYS_SECONDS,
    deletionAllowed: false,
    exportable: false,
    allowPlaintextBackup: false,
}, { provider: vaultProvider });

// Vault's transit API takes base64 plaintext; this data source base64-encodes `plaintext` itself (Terraform
// provider's vault_transit_encrypt), so the raw value is passed here. Encoding it first would store base64-of-base64.
const encrypted = vault.transit.getEncryptOutput({
    backend: key.backend,
    key: key.name,
    plaintext: mlApiKey,
}, { provider: vaultProvider });

// The ciphertext only ("vault:v<N>:..."); never the plaintext. Pulumi keeps it secret because it derives from
// secret input; that is harmless for a ciphertext and it is not unwrapped here.
export const ciphertext = encrypted.ciphertext;
