// A realistic CheckReport for the formatter tests: several resources (one nested under a component), mandatory,
// advisory and stack-wide diagnostics, multi-line messages, and characters that need escaping in XML.
import { CheckReport, Diagnostic, PackInfo } from "../../../checker/types";

export const STACK = "dev";
export const PROJECT = "ml-pipeline";
const U = (type: string, name: string) => `urn:pulumi:${STACK}::${PROJECT}::${type}::${name}`;

export const URNS = {
    stack: U("pulumi:pulumi:Stack", `${PROJECT}-${STACK}`),
    bucket: U("aws:s3/bucket:Bucket", "training-data"),
    lambda: U("aws:lambda/function:Function", "inference"),
    secret: U("aws:secretsmanager/secretVersion:SecretVersion", "hf-token"),
    // A child of a component: qualified type with the parent's type first.
    job: U("ml:index:Trainer$gcp:cloudrunv2/job:Job", "trainer-job"),
    trainer: U("ml:index:Trainer", "trainer"),
};

export function pack(): PackInfo {
    return {
        name: "ml-secrets-guard",
        version: "0.1.0",
        supportsConfig: true,
        policies: [
            {
                name: "no-hardcoded-secrets",
                displayName: "No hard-coded secrets",
                description: "Secrets must not be written as literals in resource inputs.",
                enforcementLevel: "mandatory",
                severity: "critical",
                remediationSteps: "Read the value from a secret store or from `pulumi config set --secret`.",
            },
            {
                name: "no-plaintext-secret-exports",
                description: "Stack outputs must not export secrets in plaintext.",
                enforcementLevel: "advisory",
                severity: "high",
                remediationSteps: "Wrap the exported value in pulumi.secret().",
            },
            {
                name: "kms-encrypted-secrets",
                description: "Secrets Manager secrets should use a customer-managed KMS key.",
                enforcementLevel: "advisory",
                severity: "medium",
            },
            {
                name: "legacy-rule",
                description: "Disabled in this run.",
                enforcementLevel: "disabled",
                severity: "low",
            },
        ],
    };
}

function diag(d: Partial<Diagnostic> & Pick<Diagnostic, "policyName" | "enforcementLevel" | "message">): Diagnostic {
    return { policyPackName: "ml-secrets-guard", policyPackVersion: "0.1.0", phase: d.urn ? "analyze" : "analyzeStack", ...d };
}

export const MSG = {
    lambdaKey:
        "Hard-coded OpenAI API key in environment.variables.OPENAI_API_KEY (sk-p…, 56 chars, redacted).\n" +
        "Read it from config instead:\n  pulumi config set --secret openaiKey",
    jobToken: "Hard-coded Hugging Face token in template.containers[0].envs[1].value (hf_…, 37 chars, redacted).",
    kms: 'Secret "hf-token" uses the AWS-managed key <aws/secretsmanager> & should use a CMK; it\'s advisory.',
    stackExport: "Stack output `hfToken` exports a secret in plaintext.\nWrap it in pulumi.secret().",
};

export function report(): CheckReport {
    return {
        program: "examples/ml-stack",
        stack: STACK,
        project: PROJECT,
        mode: "preview",
        pack: pack(),
        resources: [
            { urn: URNS.stack, type: "pulumi:pulumi:Stack", name: `${PROJECT}-${STACK}` },
            { urn: URNS.bucket, type: "aws:s3/bucket:Bucket", name: "training-data" },
            { urn: URNS.lambda, type: "aws:lambda/function:Function", name: "inference" },
            { urn: URNS.secret, type: "aws:secretsmanager/secretVersion:SecretVersion", name: "hf-token" },
            { urn: URNS.trainer, type: "ml:index:Trainer", name: "trainer" },
            { urn: URNS.job, type: "gcp:cloudrunv2/job:Job", name: "trainer-job" },
        ],
        diagnostics: [
            diag({ policyName: "no-plaintext-secret-exports", enforcementLevel: "advisory", severity: "high", message: MSG.stackExport }),
            diag({ policyName: "no-hardcoded-secrets", enforcementLevel: "mandatory", severity: "critical", urn: URNS.job, message: MSG.jobToken }),
            diag({ policyName: "kms-encrypted-secrets", enforcementLevel: "advisory", severity: "medium", urn: URNS.secret, message: MSG.kms }),
            diag({ policyName: "no-hardcoded-secrets", enforcementLevel: "mandatory", severity: "critical", urn: URNS.lambda, message: MSG.lambdaKey }),
        ],
    };
}
