// vault-provider-tls: the Vault provider talks to Vault over TLS (plain http only on loopback).
import { resourcePolicy } from "./lib/adapter";
import { PolicyMeta } from "./lib/rule";
import { checkVaultProviderTls, VAULT_PROVIDER_TYPE } from "./rules/vault-provider-tls";

export const meta: PolicyMeta = {
    name: "vault-provider-tls",
    description: "Vault providers must connect to Vault over https (plain http only to a loopback address).",
    enforcementLevel: "advisory",
    severity: "high",
    checks: "Each pulumi:providers:vault (explicit, or the default one from `vault:address`) whose address is set and known is https://, " +
        "or http:// to localhost, 127.0.0.0/8 or ::1.",
    remediationSteps: "Use an https:// Vault address (`pulumi config set vault:address https://...` or the provider's `address`), " +
        "with `caCertFile`/`caCertDir` for a private CA. Plain http exposes the Vault token and every secret in transit.",
    tags: ["vault", "tls", "provider"],
    configSchema: { properties: {} },
};

export const policy = resourcePolicy<Record<string, never>>(meta, {
    appliesTo: [VAULT_PROVIDER_TYPE],
    rule: (subject) => checkVaultProviderTls(subject),
});
