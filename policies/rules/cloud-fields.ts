// The curated table of resource fields that a cloud stores and shows in plaintext (environment variables, user data,
// instance metadata, app settings, tags and labels), per provider, with the cloud's own secret-reference mechanism
// to use instead. DATA: one row per field group, each with a flagged and a clean example (wire-shaped props) that
// test/policies/rules/cloud-fields.test.ts runs through the rule, gitleaks style. docs/policies.md lists this table
// (scripts/gen-policy-docs.ts). Used by no-secrets-in-plaintext-cloud-fields. Pure: no @pulumi imports.
//
// Path patterns, as messages print paths (formatPath):
//   name      an object key          *          every key of an object (the key is the variable's name)
//   []        every array item       {json}     the string holds a JSON document: step into it
//   {base64}  the string is base64: decode it (the decoded text is the same field)
// Type tokens and property names were checked against the pinned SDKs' type definitions (node_modules/@pulumi/
// {aws,gcp,azure-native}, see `sdk` below) or, for packages not installed here, against the Pulumi registry docs.
import { SECRET_SIG, SIG_KEY, Wire, WireObject } from "../lib/wire";

export type CloudProvider = "aws" | "gcp" | "azure";

export interface CloudField {
    /** Stable id (allowlists and tests may name it). */
    id: string;
    provider: CloudProvider;
    /** What the field is, for docs and messages ("Lambda environment variables"). */
    what: string;
    /** Exact type tokens, or a provider-wide `prefix:*` (every resource of that provider). */
    types: readonly string[];
    /** Path patterns (see the header) of the plaintext values. */
    paths: readonly string[];
    /** For `[].value`-style entries: the sibling property that holds the variable's name. */
    nameField?: string;
    /** The cloud's own mechanism to use instead, with the exact property names. */
    instead: string;
    /** Where the type tokens and paths were checked: the installed SDK's .d.ts, or the registry docs. */
    sdk: "installed" | "registry";
    /** Gitleaks-style examples: `flagged` must give a finding at one of `paths`, `clean` none. */
    examples: { type: string; flagged: WireObject; clean: WireObject };
}

/** A value as the engine sends a Pulumi secret (for the examples). */
function secret(value: Wire): Wire {
    return { [SIG_KEY]: SECRET_SIG, value };
}

/** Stands for a secret's value in the examples: not a credential, so only its being a secret can flag it. */
const S = "example-secret-value-0001";
const base64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

const AWS_SM_ARN = "arn:aws:secretsmanager:us-west-2:123456789012:secret:ml/openai-key-AbCdEf";
const AWS_SSM_ARN = "arn:aws:ssm:us-west-2:123456789012:parameter/ml/openai-key";
const GCP_SECRET = "projects/ml-platform/secrets/openai-key/versions/latest";
const KV_REF = "@Microsoft.KeyVault(SecretUri=https://ml-kv.vault.azure.net/secrets/openai-key/)";

const LAMBDA_INSTEAD = "keep the secret in AWS Secrets Manager or SSM Parameter Store (SecureString), pass only its ARN or " +
    "name in `environment.variables` (e.g. `OPENAI_API_KEY_SECRET_ARN: secret.arn`) and read it at run time " +
    "(the AWS Parameters and Secrets Lambda Extension or the SDK), granting the function's role `secretsmanager:GetSecretValue` on it";
const ECS_INSTEAD = "put it in the container definition's `secrets: [{ name, valueFrom }]` (`valueFrom`: the Secrets Manager " +
    "secret or SSM parameter ARN; the task execution role needs read access), not in `environment`";
const USER_DATA_INSTEAD = "keep the secret in AWS Secrets Manager or SSM Parameter Store and have the boot script fetch it " +
    "with the instance profile's role (`aws secretsmanager get-secret-value --secret-id <name>`); user data may name the secret, never hold it";
const GCE_INSTEAD = "keep the secret in Secret Manager and have the startup script fetch it with the instance's service account " +
    "(`gcloud secrets versions access latest --secret=<name>`); metadata may name the secret, never hold it";
const RUN_V1_INSTEAD = "use `envs: [{ name, valueFrom: { secretKeyRef: { name: <secret>, key: <version> } } }]` (Secret Manager)";
const RUN_V2_INSTEAD = "use `envs: [{ name, valueSource: { secretKeyRef: { secret: <secret id>, version } } }]` (Secret Manager)";
const GCF_V1_INSTEAD = "use `secretEnvironmentVariables: [{ key, secret, version }]` (Secret Manager)";
const GCF_V2_INSTEAD = "use `serviceConfig.secretEnvironmentVariables: [{ key, projectId, secret, version }]` (Secret Manager); " +
    "build-time secrets belong in Secret Manager too, read by the build";
const APP_SERVICE_INSTEAD = "store the secret in Key Vault and set the app setting to a Key Vault reference " +
    "`@Microsoft.KeyVault(SecretUri=https://<vault>.vault.azure.net/secrets/<name>/)`, with the app's managed identity allowed to get secrets";
const CONTAINER_APPS_INSTEAD = "declare it in `configuration.secrets: [{ name, value }]` (or `{ name, keyVaultUrl, identity }`) " +
    "and reference it with `env: [{ name, secretRef: <secret name> }]`";
const ACI_INSTEAD = "use `secureValue` (or `secureValueReference`) instead of `value`: secure values are not returned by the API";
const TAGS_INSTEAD = "tags and labels are metadata readable by anyone who can list resources (and copied into billing data); " +
    "put the secret in the cloud's secret store and tag with its name at most";

export const CLOUD_FIELDS: readonly CloudField[] = [
    // ------------------------------------------------------------------------------------------------ AWS
    {
        id: "aws-lambda-environment",
        provider: "aws",
        what: "Lambda function environment variables",
        types: ["aws:lambda/function:Function"],
        paths: ["environment.variables.*"],
        instead: LAMBDA_INSTEAD,
        sdk: "installed",
        examples: {
            type: "aws:lambda/function:Function",
            flagged: { environment: { variables: { OPENAI_API_KEY: secret(S), MODEL: "gpt-4o" } } },
            clean: { environment: { variables: { OPENAI_API_KEY_SECRET_ARN: AWS_SM_ARN, MODEL: "gpt-4o" } } },
        },
    },
    {
        id: "aws-ecs-container-environment",
        provider: "aws",
        what: "ECS task definition container environment",
        types: ["aws:ecs/taskDefinition:TaskDefinition"],
        paths: ["containerDefinitions{json}[].environment[].value"],
        nameField: "name",
        instead: ECS_INSTEAD,
        sdk: "installed",
        examples: {
            type: "aws:ecs/taskDefinition:TaskDefinition",
            flagged: { containerDefinitions: secret(JSON.stringify([{ name: "api", environment: [{ name: "OPENAI_API_KEY", value: S }] }])) },
            clean: { containerDefinitions: JSON.stringify([{ name: "api", secrets: [{ name: "OPENAI_API_KEY", valueFrom: AWS_SM_ARN }] }]) },
        },
    },
    {
        id: "aws-ec2-user-data",
        provider: "aws",
        what: "EC2 instance user data",
        types: ["aws:ec2/instance:Instance", "aws:ec2/launchConfiguration:LaunchConfiguration"],
        paths: ["userData", "userDataBase64{base64}"],
        instead: USER_DATA_INSTEAD,
        sdk: "installed",
        examples: {
            type: "aws:ec2/instance:Instance",
            flagged: { userData: secret(`#!/bin/bash\nexport OPENAI_API_KEY=${S}\n`) },
            clean: { userData: "#!/bin/bash\nexport OPENAI_API_KEY=$(aws secretsmanager get-secret-value --secret-id ml/openai-key --query SecretString --output text)\n" },
        },
    },
    {
        id: "aws-launch-template-user-data",
        provider: "aws",
        what: "EC2 launch template user data (base64)",
        types: ["aws:ec2/launchTemplate:LaunchTemplate"],
        paths: ["userData{base64}"],
        instead: USER_DATA_INSTEAD,
        sdk: "installed",
        examples: {
            type: "aws:ec2/launchTemplate:LaunchTemplate",
            flagged: { userData: secret(base64(`#!/bin/bash\nexport HF_TOKEN=${S}\n`)) },
            clean: { userData: base64("#!/bin/bash\nexport HF_TOKEN=$(aws ssm get-parameter --name /ml/hf-token --with-decryption --query Parameter.Value --output text)\n") },
        },
    },
    {
        id: "aws-batch-container-environment",
        provider: "aws",
        what: "Batch job definition container environment",
        types: ["aws:batch/jobDefinition:JobDefinition"],
        paths: [
            "containerProperties{json}.environment[].value",
            "ecsProperties{json}.taskProperties[].containers[].environment[].value",
            "nodeProperties{json}.nodeRangeProperties[].container.environment[].value",
            "eksProperties.podProperties.containers[].envs[].value",
            "eksProperties.podProperties.initContainers[].envs[].value",
        ],
        nameField: "name",
        instead: "put it in the container properties' `secrets: [{ name, valueFrom }]` (Secrets Manager or SSM parameter ARN), not in `environment`",
        sdk: "installed",
        examples: {
            type: "aws:batch/jobDefinition:JobDefinition",
            flagged: { containerProperties: secret(JSON.stringify({ image: "trainer", environment: [{ name: "WANDB_API_KEY", value: S }] })) },
            clean: { containerProperties: JSON.stringify({ image: "trainer", secrets: [{ name: "WANDB_API_KEY", valueFrom: AWS_SSM_ARN }] }) },
        },
    },
    {
        id: "aws-sagemaker-environment",
        provider: "aws",
        what: "SageMaker model (and so endpoint), training and tuning job container environment",
        types: [
            "aws:sagemaker/model:Model",
            "aws:sagemaker/trainingJob:TrainingJob",
            "aws:sagemaker/hyperParameterTuningJob:HyperParameterTuningJob",
        ],
        paths: [
            "primaryContainer.environment.*",
            "containers[].environment.*",
            "environment.*",
            "trainingJobDefinition.environment.*",
            "trainingJobDefinitions[].environment.*",
        ],
        instead: "keep the secret in AWS Secrets Manager, pass only its ARN in `environment` and read it in the container " +
            "with the execution role (`secretsmanager:GetSecretValue`)",
        sdk: "installed",
        examples: {
            type: "aws:sagemaker/model:Model",
            flagged: { primaryContainer: { image: "inference", environment: { HF_TOKEN: secret(S) } } },
            clean: { primaryContainer: { image: "inference", environment: { HF_TOKEN_SECRET_ARN: AWS_SM_ARN } } },
        },
    },
    {
        id: "aws-tags",
        provider: "aws",
        what: "AWS resource tags",
        types: ["aws:*"],
        paths: ["tags.*", "tagsAll.*"],
        instead: TAGS_INSTEAD,
        sdk: "installed",
        examples: {
            type: "aws:s3/bucket:Bucket",
            flagged: { tags: { team: "ml", apiKey: secret(S) } },
            clean: { tags: { team: "ml", apiKeySecret: "ml/openai-key" } },
        },
    },
    // ------------------------------------------------------------------------------------------------ Google Cloud
    {
        id: "gcp-compute-metadata",
        provider: "gcp",
        what: "Compute Engine instance and template metadata and startup scripts",
        types: [
            "gcp:compute/instance:Instance",
            "gcp:compute/instanceTemplate:InstanceTemplate",
            "gcp:compute/regionInstanceTemplate:RegionInstanceTemplate",
        ],
        paths: ["metadata.*", "metadataStartupScript"],
        instead: GCE_INSTEAD,
        sdk: "installed",
        examples: {
            type: "gcp:compute/instance:Instance",
            flagged: { metadataStartupScript: secret(`#!/bin/bash\nexport OPENAI_API_KEY=${S}\n`) },
            clean: { metadataStartupScript: "#!/bin/bash\nexport OPENAI_API_KEY=$(gcloud secrets versions access latest --secret=openai-key)\n" },
        },
    },
    {
        id: "gcp-cloud-run-v1-env",
        provider: "gcp",
        what: "Cloud Run (v1) container environment",
        types: ["gcp:cloudrun/service:Service"],
        paths: ["template.spec.containers[].envs[].value", "template.spec.initContainers[].envs[].value"],
        nameField: "name",
        instead: RUN_V1_INSTEAD,
        sdk: "installed",
        examples: {
            type: "gcp:cloudrun/service:Service",
            flagged: { template: { spec: { containers: [{ image: "api", envs: [{ name: "OPENAI_API_KEY", value: secret(S) }] }] } } },
            clean: { template: { spec: { containers: [{ image: "api", envs: [{ name: "OPENAI_API_KEY", valueFrom: { secretKeyRef: { name: "openai-key", key: "latest" } } }] }] } } },
        },
    },
    {
        id: "gcp-cloud-run-v2-env",
        provider: "gcp",
        what: "Cloud Run (v2) service, job and worker pool container environment",
        types: ["gcp:cloudrunv2/service:Service", "gcp:cloudrunv2/job:Job", "gcp:cloudrunv2/workerPool:WorkerPool"],
        paths: ["template.containers[].envs[].value", "template.template.containers[].envs[].value"],
        nameField: "name",
        instead: RUN_V2_INSTEAD,
        sdk: "installed",
        examples: {
            type: "gcp:cloudrunv2/service:Service",
            flagged: { template: { containers: [{ image: "api", envs: [{ name: "OPENAI_API_KEY", value: secret(S) }] }] } },
            clean: { template: { containers: [{ image: "api", envs: [{ name: "OPENAI_API_KEY", valueSource: { secretKeyRef: { secret: "openai-key", version: "latest" } } }] }] } },
        },
    },
    {
        id: "gcp-cloud-functions-v1-env",
        provider: "gcp",
        what: "Cloud Functions (1st gen) runtime and build environment variables",
        types: ["gcp:cloudfunctions/function:Function"],
        paths: ["environmentVariables.*", "buildEnvironmentVariables.*"],
        instead: GCF_V1_INSTEAD,
        sdk: "installed",
        examples: {
            type: "gcp:cloudfunctions/function:Function",
            flagged: { environmentVariables: { OPENAI_API_KEY: secret(S) } },
            clean: { environmentVariables: { MODEL: "gemini" }, secretEnvironmentVariables: [{ key: "OPENAI_API_KEY", secret: "openai-key", version: "latest" }] },
        },
    },
    {
        id: "gcp-cloud-functions-v2-env",
        provider: "gcp",
        what: "Cloud Functions (2nd gen) runtime and build environment variables",
        types: ["gcp:cloudfunctionsv2/function:Function"],
        paths: ["serviceConfig.environmentVariables.*", "buildConfig.environmentVariables.*"],
        instead: GCF_V2_INSTEAD,
        sdk: "installed",
        examples: {
            type: "gcp:cloudfunctionsv2/function:Function",
            flagged: { serviceConfig: { environmentVariables: { OPENAI_API_KEY: secret(S) } } },
            clean: { serviceConfig: { environmentVariables: { OPENAI_API_KEY_SECRET: GCP_SECRET } } },
        },
    },
    {
        id: "gcp-vertex-env",
        provider: "gcp",
        what: "Vertex AI reasoning engine and Model Garden deployment container environment",
        types: ["gcp:vertex/aiReasoningEngine:AiReasoningEngine", "gcp:vertex/aiEndpointWithModelGardenDeployment:AiEndpointWithModelGardenDeployment"],
        paths: ["spec.deploymentSpec.envs[].value", "modelConfig.containerSpec.envs[].value"],
        nameField: "name",
        instead: "use the reasoning engine's `spec.deploymentSpec.secretEnvs: [{ name, secretRef: { secret, version } }]` (Secret Manager), " +
            "or read the secret from Secret Manager in the container with its service account",
        sdk: "installed",
        examples: {
            type: "gcp:vertex/aiReasoningEngine:AiReasoningEngine",
            flagged: { spec: { deploymentSpec: { envs: [{ name: "OPENAI_API_KEY", value: secret(S) }] } } },
            clean: { spec: { deploymentSpec: { secretEnvs: [{ name: "OPENAI_API_KEY", secretRef: { secret: "openai-key", version: "latest" } }] } } },
        },
    },
    {
        id: "gcp-vertex-custom-job-env",
        provider: "gcp",
        what: "Vertex AI custom job worker pool environment (gcp v10+)",
        types: ["gcp:vertex/aiCustomJob:AiCustomJob"],
        paths: ["jobSpec.workerPoolSpecs[].containerSpec.envs[].value", "jobSpec.workerPoolSpecs[].pythonPackageSpec.envs[].value"],
        nameField: "name",
        instead: "read the secret from Secret Manager in the training code with the job's `jobSpec.serviceAccount`; pass only the secret's name in `envs`",
        sdk: "registry",
        examples: {
            type: "gcp:vertex/aiCustomJob:AiCustomJob",
            flagged: { jobSpec: { workerPoolSpecs: [{ containerSpec: { imageUri: "trainer", envs: [{ name: "WANDB_API_KEY", value: secret(S) }] } }] } },
            clean: { jobSpec: { workerPoolSpecs: [{ containerSpec: { imageUri: "trainer", envs: [{ name: "WANDB_API_KEY_SECRET", value: GCP_SECRET }] } }] } },
        },
    },
    {
        id: "gcp-labels",
        provider: "gcp",
        what: "Google Cloud resource labels",
        types: ["gcp:*"],
        paths: ["labels.*"],
        instead: TAGS_INSTEAD,
        sdk: "installed",
        examples: {
            type: "gcp:storage/bucket:Bucket",
            flagged: { labels: { team: "ml", token: secret(S) } },
            clean: { labels: { team: "ml", env: "dev" } },
        },
    },
    // ------------------------------------------------------------------------------------------------ Azure
    {
        id: "azure-app-service-settings",
        provider: "azure",
        what: "App Service web app and function app settings and connection strings",
        types: ["azure-native:web:WebApp", "azure-native:web:WebAppSlot"],
        paths: ["siteConfig.appSettings[].value", "siteConfig.connectionStrings[].connectionString"],
        nameField: "name",
        instead: APP_SERVICE_INSTEAD,
        sdk: "installed",
        examples: {
            type: "azure-native:web:WebApp",
            flagged: { siteConfig: { appSettings: [{ name: "OPENAI_API_KEY", value: secret(S) }] } },
            clean: { siteConfig: { appSettings: [{ name: "OPENAI_API_KEY", value: KV_REF }] } },
        },
    },
    {
        id: "azure-app-service-settings-resource",
        provider: "azure",
        what: "App Service application settings and connection strings resources",
        types: [
            "azure-native:web:WebAppApplicationSettings",
            "azure-native:web:WebAppApplicationSettingsSlot",
            "azure-native:web:WebAppConnectionStrings",
            "azure-native:web:WebAppConnectionStringsSlot",
        ],
        paths: ["properties.*", "properties.*.value"],
        instead: APP_SERVICE_INSTEAD,
        sdk: "installed",
        examples: {
            type: "azure-native:web:WebAppApplicationSettings",
            flagged: { properties: { OPENAI_API_KEY: secret(S) } },
            clean: { properties: { OPENAI_API_KEY: KV_REF } },
        },
    },
    {
        id: "azure-classic-app-service-settings",
        provider: "azure",
        what: "App Service app settings (classic azure provider)",
        types: [
            "azure:appservice/linuxWebApp:LinuxWebApp",
            "azure:appservice/windowsWebApp:WindowsWebApp",
            "azure:appservice/linuxFunctionApp:LinuxFunctionApp",
            "azure:appservice/windowsFunctionApp:WindowsFunctionApp",
            "azure:appservice/linuxWebAppSlot:LinuxWebAppSlot",
            "azure:appservice/windowsWebAppSlot:WindowsWebAppSlot",
        ],
        paths: ["appSettings.*"],
        instead: APP_SERVICE_INSTEAD,
        sdk: "registry",
        examples: {
            type: "azure:appservice/linuxWebApp:LinuxWebApp",
            flagged: { appSettings: { OPENAI_API_KEY: secret(S) } },
            clean: { appSettings: { OPENAI_API_KEY: KV_REF } },
        },
    },
    {
        id: "azure-container-apps-env",
        provider: "azure",
        what: "Container Apps app and job container environment",
        types: ["azure-native:app:ContainerApp", "azure-native:app:Job"],
        paths: ["template.containers[].env[].value", "template.initContainers[].env[].value"],
        nameField: "name",
        instead: CONTAINER_APPS_INSTEAD,
        sdk: "installed",
        examples: {
            type: "azure-native:app:ContainerApp",
            flagged: { template: { containers: [{ image: "api", env: [{ name: "OPENAI_API_KEY", value: secret(S) }] }] } },
            clean: {
                configuration: { secrets: [{ name: "openai-key", value: secret(S) }] },
                template: { containers: [{ image: "api", env: [{ name: "OPENAI_API_KEY", secretRef: "openai-key" }] }] },
            },
        },
    },
    {
        id: "azure-classic-container-apps-env",
        provider: "azure",
        what: "Container Apps container environment (classic azure provider)",
        types: ["azure:containerapp/app:App"],
        paths: ["template.containers[].envs[].value", "template.initContainers[].envs[].value"],
        nameField: "name",
        instead: "declare it in `secrets: [{ name, value }]` and reference it with `envs: [{ name, secretName }]`",
        sdk: "registry",
        examples: {
            type: "azure:containerapp/app:App",
            flagged: { template: { containers: [{ image: "api", envs: [{ name: "OPENAI_API_KEY", value: secret(S) }] }] } },
            clean: { template: { containers: [{ image: "api", envs: [{ name: "OPENAI_API_KEY", secretName: "openai-key" }] }] } },
        },
    },
    {
        id: "azure-container-instances-env",
        provider: "azure",
        what: "Container Instances environment variables (non-secure)",
        types: ["azure-native:containerinstance:ContainerGroup"],
        paths: ["containers[].environmentVariables[].value", "initContainers[].environmentVariables[].value"],
        nameField: "name",
        instead: ACI_INSTEAD,
        sdk: "installed",
        examples: {
            type: "azure-native:containerinstance:ContainerGroup",
            flagged: { containers: [{ name: "api", image: "api", environmentVariables: [{ name: "OPENAI_API_KEY", value: secret(S) }] }] },
            clean: { containers: [{ name: "api", image: "api", environmentVariables: [{ name: "OPENAI_API_KEY", secureValue: secret(S) }] }] },
        },
    },
    {
        id: "azure-classic-container-instances-env",
        provider: "azure",
        what: "Container Instances environment variables (classic azure provider)",
        types: ["azure:containerservice/group:Group"],
        paths: ["containers[].environmentVariables.*", "initContainers[].environmentVariables.*"],
        instead: "use `secureEnvironmentVariables` instead of `environmentVariables`: secure values are not returned by the API",
        sdk: "registry",
        examples: {
            type: "azure:containerservice/group:Group",
            flagged: { containers: [{ name: "api", environmentVariables: { OPENAI_API_KEY: secret(S) } }] },
            clean: { containers: [{ name: "api", secureEnvironmentVariables: { OPENAI_API_KEY: secret(S) } }] },
        },
    },
    {
        id: "azure-tags",
        provider: "azure",
        what: "Azure resource tags",
        types: ["azure-native:*", "azure:*"],
        paths: ["tags.*"],
        instead: TAGS_INSTEAD,
        sdk: "installed",
        examples: {
            type: "azure-native:resources:ResourceGroup",
            flagged: { tags: { team: "ml", connection: secret(S) } },
            clean: { tags: { team: "ml", connectionSecret: "https://ml-kv.vault.azure.net/secrets/conn" } },
        },
    },
    // Vault: none (Vault resources hold secrets by design; none has a field the server shows in plaintext).
];
