import * as assert from "assert";
import { checkVaultProviderTls, hostOf, ipv6Groups, VAULT_PROVIDER_TYPE } from "../../../policies/rules/vault-provider-tls";
import { Case, neverThrows, runCases, secret, UNKNOWN_STRING } from "../../helpers/rule-cases";

const cases: Case[] = [
    { name: "https", props: { address: "https://vault.example.com:8200" }, expect: "pass" },
    { name: "HTTPS upper case", props: { address: "HTTPS://vault.example.com" }, expect: "pass" },
    { name: "http to localhost", props: { address: "http://localhost:8200" }, expect: "pass" },
    { name: "http to 127.0.0.1", props: { address: "http://127.0.0.1:8200" }, expect: "pass" },
    { name: "http to 127.8.9.10", props: { address: "http://127.8.9.10:8200/" }, expect: "pass" },
    { name: "http to [::1]", props: { address: "http://[::1]:8200" }, expect: "pass" },
    { name: "http to expanded IPv6 loopback", props: { address: "http://[0:0:0:0:0:0:0:1]:8200" }, expect: "pass" },
    { name: "http to IPv4-mapped loopback", props: { address: "http://[::ffff:127.0.0.1]:8200" }, expect: "pass" },
    { name: "http to localhost with a trailing dot", props: { address: "http://LOCALHOST.:8200" }, expect: "pass" },
    { name: "secret-wrapped https", props: { address: secret("https://vault.internal:8200") }, expect: "pass" },
    { name: "http to a remote host", props: { address: "http://vault.example.com:8200" }, expect: "fail", match: [/Vault provider 'res'/, /plain http:\/\//, /https:\/\//], never: ["vault.example.com"] },
    { name: "http to a private IP", props: { address: "http://10.0.0.5:8200" }, expect: "fail", never: ["10.0.0.5"] },
    { name: "http with a loopback-looking user info", props: { address: "http://127.0.0.1@vault.example.com:8200" }, expect: "fail" },
    { name: "http to localhost.example.com", props: { address: "http://localhost.example.com" }, expect: "fail" },
    { name: "http to 127.0.0.1.nip.io", props: { address: "http://127.0.0.1.nip.io:8200" }, expect: "fail" },
    { name: "http to 128.0.0.1", props: { address: "http://128.0.0.1" }, expect: "fail" },
    { name: "http to [::2]", props: { address: "http://[::2]:8200" }, expect: "fail" },
    { name: "http with credentials in the URL never shows them", props: { address: "http://admin:Pw-s3cretValue@vault.example.com" }, expect: "fail", never: ["Pw-s3cretValue", "admin"] },
    { name: "secret-wrapped http to a remote host", props: { address: secret("http://vault.example.com") }, expect: "fail", never: ["vault.example.com"] },
    { name: "no address (VAULT_ADDR)", props: { skipTlsVerify: false }, expect: "na", match: [/VAULT_ADDR/] },
    { name: "empty address", props: { address: "" }, expect: "na" },
    { name: "unknown address", props: { address: UNKNOWN_STRING }, expect: "na", match: [/unknown during preview; checked at update/] },
    { name: "address as a number", props: { address: 8200 }, expect: "na" },
    { name: "address as an array", props: { address: ["http://x"] as never }, expect: "na" },
    { name: "no scheme", props: { address: "vault.example.com:8200" }, expect: "na" },
    { name: "other provider", type: "pulumi:providers:aws", props: { address: "http://x" }, expect: "na" },
];

describe("vault-provider-tls rule", () => {
    runCases("cases", VAULT_PROVIDER_TYPE, cases, checkVaultProviderTls);

    it("extracts hosts and expands IPv6", () => {
        assert.deepStrictEqual(hostOf("http://u:p@Host.Example:80/x?y#z"), { host: "host.example", ipv6: false });
        assert.deepStrictEqual(hostOf("http://[::1]:8200"), { host: "::1", ipv6: true });
        assert.strictEqual(hostOf("http://"), undefined);
        assert.deepStrictEqual(ipv6Groups("::1"), [0, 0, 0, 0, 0, 0, 0, 1]);
        assert.strictEqual(ipv6Groups("1::2::3"), undefined);
        assert.strictEqual(ipv6Groups("1:2:3:4:5:6:7:8:9"), undefined);
    });

    neverThrows(VAULT_PROVIDER_TYPE, ["address", "token", "skipTlsVerify"], checkVaultProviderTls);
});
