// no-secrets-in-plaintext-cloud-fields: Pulumi secrets (and credentials) placed in fields the cloud shows in plaintext:
// environment variables, user data, instance metadata, app settings, tags and labels. See
// rules/no-secrets-in-plaintext-cloud-fields.ts; the fields are the table in rules/cloud-fields.ts.
//
// Analyze only: secret wrappers and secret unknowns are on the wire in the resource's inputs in preview and update
// alike, and config provenance needs no outputs, so AnalyzeStack would add nothing. Being a resource policy, it also
// runs in Pulumi Cloud audit policy groups (which run resource policies only).
import { resourcePolicy } from "./lib/adapter";
import { PolicyMeta } from "./lib/rule";
import { meta as hardcodedMeta } from "./no-hardcoded-secrets";
import { checkCloudFields, CloudFieldsConfig } from "./rules/no-secrets-in-plaintext-cloud-fields";

export const meta: PolicyMeta = {
    name: "no-secrets-in-plaintext-cloud-fields",
    description: "Secrets must not be placed in resource fields that the cloud stores and shows in plaintext " +
        "(environment variables, user data, instance metadata, app settings, tags and labels).",
    enforcementLevel: "advisory",
    severity: "medium",
    checks: "The plaintext fields listed below (Lambda, ECS, Batch and SageMaker environments, EC2 user data, GCE metadata " +
        "and startup scripts, Cloud Run, Cloud Functions and Vertex AI environments, App Service settings, Container Apps and " +
        "Container Instances environments, tags and labels) for values that are Pulumi secrets (secret unknowns in preview " +
        "included), hold secret config, or match a credential format; references (ARNs, SSM and Secret Manager names, " +
        "Key Vault references) are not flagged.",
    remediationSteps: "Use the cloud's secret-reference mechanism named in the message: ECS `secrets: [{ name, valueFrom }]`, " +
        "Cloud Run `valueSource.secretKeyRef`, App Service `@Microsoft.KeyVault(SecretUri=...)`, Container Apps `secretRef`, " +
        "Container Instances `secureValue`; for Lambda, user data and metadata keep the secret in the secret store and read it " +
        "at run time, passing only its ARN or name. For a value that is not a secret, add an allowlist entry with a reason.",
    tags: ["secrets", "ml-pipelines", "aws", "gcp", "azure"],
    configSchema: {
        properties: {
            // The same allowlist shape as no-hardcoded-secrets (URN and property path globs, with a reason).
            allowlist: hardcodedMeta.configSchema.properties.allowlist,
        },
    },
};

export const policy = resourcePolicy<CloudFieldsConfig>(meta, {
    rule: checkCloudFields,
});
