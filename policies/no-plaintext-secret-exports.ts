// no-plaintext-secret-exports: stack outputs that carry secret material without being Pulumi secrets.
import { stackPolicy } from "./lib/adapter";
import { findings, PolicyMeta } from "./lib/rule";
import { checkExports, ExportsConfig } from "./rules/no-plaintext-secret-exports";

export const meta: PolicyMeta = {
    name: "no-plaintext-secret-exports",
    description: "Stack outputs that carry secret material must be Pulumi secrets.",
    enforcementLevel: "mandatory",
    severity: "high",
    checks: "Every stack export, nested values and JSON included, that is not secret on the wire yet carries secret config, " +
        "a credential from config, a credential format, or has a name that says it is secret (password, token, api key, plaintext, ...). " +
        "Names of a secret's store or pointer (`hfTokenSecret`, `apiKeySecretArn`) and masks (`[secret]`, `********`) are not findings; " +
        "an AWS access key id without its secret half is advisory.",
    remediationSteps: "Wrap the value in `pulumi.secret(...)` (or export the ciphertext or the secret's ARN/URI instead), " +
        "or stop exporting it. Exports are stored and displayed in plaintext unless they are secrets.",
    tags: ["secrets", "exports"],
    configSchema: {
        properties: {
            allowExports: {
                type: "array",
                items: { type: "string" },
                default: [],
                description: "Top-level export names that may be exported in plaintext (a deliberate decision).",
            },
        },
    },
};

export const policy = stackPolicy<ExportsConfig>(meta, (resources, config, ctx) =>
    findings(...checkExports(resources, config, ctx.stackConfig)));
