// no-plaintext-secret-config: secrets set in stack config without `--secret`, so Pulumi.<stack>.yaml holds them in
// plaintext. See rules/no-plaintext-secret-config.ts for the three criteria and where each is reported.
import { twoPhasePolicy } from "./lib/adapter";
import { findings, PolicyMeta } from "./lib/rule";
import { analyzeResource, checkExportedConfig, PlaintextConfigConfig } from "./rules/no-plaintext-secret-config";

export const meta: PolicyMeta = {
    name: "no-plaintext-secret-config",
    description: "Secrets in stack config must be set with `pulumi config set --secret`, not in plaintext.",
    enforcementLevel: "mandatory",
    severity: "high",
    checks: "Every stack config value not set with --secret (project and provider namespaces such as aws:secretKey or " +
        "vault:token, --path leaves included): reported on the root stack, before anything changes, when it matches a " +
        "credential format (used or not) or its key says it is a secret (password, token, apiKey, secret, privateKey, " +
        "credentials) and its value looks like one (not a number, boolean, URL without credentials, resource name or " +
        "placeholder); reported on the resource, naming the property, when it reaches a schema-secret input, a " +
        "secret-bearing key or a credential format of any resource or provider; and on an export that " +
        "no-plaintext-secret-exports flags. Findings name the key, never the value.",
    remediationSteps: "Re-set the value as a secret, keeping it: `pulumi config set --secret <key> \"$(pulumi config get <key>)\"` " +
        "(add `--path` for a leaf of a structured value; `<key>` without the project prefix, with the namespace for others, " +
        "e.g. `aws:secretKey`). Then rotate the value: the plaintext is in the git history of Pulumi.<stack>.yaml. " +
        "For a value that is not a secret, add an allowlist entry with the key and a reason.",
    tags: ["secrets", "config"],
    configSchema: {
        properties: {
            allowlist: {
                type: "array",
                description: "Config keys that may stay in plaintext: `{key, reason}`, the key as `pulumi config` names it " +
                    "(`dbPassword`, `aws:secretKey`, `db.password` for a --path leaf) or fully qualified; a key covers its leaves.",
                items: {
                    type: "object",
                    properties: { key: { type: "string", minLength: 1 }, reason: { type: "string" } },
                    additionalProperties: false,
                },
                default: [],
            },
        },
    },
};

export const policy = twoPhasePolicy<PlaintextConfigConfig>(meta, {
    resource: { rule: analyzeResource },
    stack: (resources, config, ctx) => findings(...checkExportedConfig(resources, ctx.stackConfig, config)),
});
