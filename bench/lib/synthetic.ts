// Synthetic stacks and documents. Secret-shaped strings are FAKE, generated at run time from random bytes, and are
// never printed: the benchmarks print only sizes, counts and timings.
import { randomBytes } from "crypto";
import { SynthResource } from "./harness";

import { SECRET_SIG, SIG_KEY, UNKNOWN_STRING } from "../../policies/lib/wire";

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const B64 = ALNUM + "+/";
const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const HEX = "0123456789abcdef";

/** A deterministic-enough PRNG (xorshift) so stacks are the same size run to run; seeded from crypto per process. */
export class Rng {
    private s: number;
    constructor(seed = randomBytes(4).readUInt32LE(0) || 1) {
        this.s = seed >>> 0 || 1;
    }
    next(): number {
        let x = this.s;
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        this.s = x >>> 0;
        return this.s / 0x100000000;
    }
    int(n: number): number {
        return Math.floor(this.next() * n);
    }
    pick<T>(xs: readonly T[]): T {
        return xs[this.int(xs.length)];
    }
    chars(alphabet: string, n: number): string {
        let s = "";
        for (let i = 0; i < n; i++) s += alphabet[this.int(alphabet.length)];
        return s;
    }
    /** Random body with upper, lower and digits all present (what real keys look like). */
    mixed(alphabet: string, n: number): string {
        for (;;) {
            const s = this.chars(alphabet, n);
            if (/[a-z]/.test(s) && /[A-Z]/.test(s) && /[0-9]/.test(s)) return s;
        }
    }
}

/** One fake secret-shaped string of a random family (never printed). */
export function fakeSecret(rng: Rng): string {
    switch (rng.int(10)) {
        case 0: return "AKIA" + rng.chars(B32, 15) + "7";
        case 1: return "ghp_" + rng.mixed(ALNUM, 36);
        case 2: return "sk-proj-" + rng.mixed(ALNUM, 48);
        case 3: return "hf_" + rng.mixed(ALNUM, 34);
        case 4: return "xoxb-" + rng.chars("0123456789", 12) + "-" + rng.chars("0123456789", 13) + "-" + rng.mixed(ALNUM, 24);
        case 5: return "sk_live_" + rng.mixed(ALNUM, 32);
        case 6: return `postgresql://ml_app:${rng.mixed(ALNUM, 20)}@db.internal.example.com:5432/features`;
        case 7: return `DefaultEndpointsProtocol=https;AccountName=mlstore;AccountKey=${rng.mixed(B64, 86)}==;EndpointSuffix=core.windows.net`;
        case 8: return "dapi" + rng.chars(HEX, 31) + "7";
        default: return pem(rng);
    }
}

export function pem(rng: Rng): string {
    const lines: string[] = [];
    for (let i = 0; i < 25; i++) lines.push(rng.chars(B64, 64));
    return `-----BEGIN PRIVATE KEY-----\n${lines.join("\n")}\n-----END PRIVATE KEY-----\n`;
}

const secret = (v: unknown) => ({ [SIG_KEY]: SECRET_SIG, value: v });

interface Shape {
    type: string;
    inputs(rng: Rng, name: string, leak: string | undefined): Record<string, unknown>;
    computed?(rng: Rng, name: string): Record<string, unknown>;
}

const tags = (rng: Rng, name: string) => ({ team: "ml-platform", env: rng.pick(["dev", "staging", "prod"]), app: name });

function iamPolicy(rng: Rng): string {
    const statements = Array.from({ length: 2 + rng.int(4) }, (_, i) => ({
        Sid: `Stmt${i}`,
        Effect: "Allow",
        Action: rng.pick([["s3:GetObject", "s3:PutObject"], ["kms:Decrypt"], ["secretsmanager:GetSecretValue"], ["logs:*"]]),
        Resource: [`arn:aws:s3:::ml-artifacts-${rng.chars(HEX, 8)}/*`],
    }));
    return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

const SHAPES: Shape[] = [
    {
        type: "aws:s3/bucket:Bucket",
        inputs: (rng, name) => ({ bucket: `${name}-${rng.chars(HEX, 6)}`, acl: "private", forceDestroy: false, tags: tags(rng, name),
            serverSideEncryptionConfiguration: { rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } } } }),
        computed: (_rng, name) => ({ arn: `arn:aws:s3:::${name}`, bucketDomainName: `${name}.s3.amazonaws.com` }),
    },
    {
        type: "aws:lambda/function:Function",
        inputs: (rng, name, leak) => ({
            runtime: "python3.12", handler: "app.handler", memorySize: 1024, timeout: 60, role: UNKNOWN_STRING, tags: tags(rng, name),
            environment: { variables: { MODEL_BUCKET: `s3://models-${rng.chars(HEX, 6)}`, LOG_LEVEL: "info", ...(leak ? { INFERENCE_API_KEY: leak } : { FEATURE_FLAGS: "a,b,c" }) } },
        }),
        computed: (_rng, name) => ({ arn: `arn:aws:lambda:us-east-1:123456789012:function:${name}`, version: "$LATEST" }),
    },
    {
        type: "aws:iam/policy:Policy",
        inputs: (rng, name) => ({ name, description: "pipeline access", policy: iamPolicy(rng) }),
        computed: (_rng, name) => ({ arn: `arn:aws:iam::123456789012:policy/${name}` }),
    },
    {
        type: "aws:kms/key:Key",
        inputs: (rng, name) => ({ description: `key for ${name}`, enableKeyRotation: true, rotationPeriodInDays: 90, deletionWindowInDays: 30, tags: tags(rng, name) }),
        computed: (rng) => ({ keyId: `${rng.chars(HEX, 8)}-${rng.chars(HEX, 4)}`, arn: `arn:aws:kms:us-east-1:123456789012:key/${rng.chars(HEX, 8)}` }),
    },
    {
        type: "aws:secretsmanager/secretVersion:SecretVersion",
        inputs: (rng) => ({ secretId: UNKNOWN_STRING, secretString: secret(rng.chars(ALNUM, 32)) }),
    },
    {
        type: "gcp:storage/bucket:Bucket",
        inputs: (rng, name) => ({ name: `${name}-${rng.chars(HEX, 6)}`, location: "EU", uniformBucketLevelAccess: true, labels: tags(rng, name) }),
        computed: (_rng, name) => ({ selfLink: `https://www.googleapis.com/storage/v1/b/${name}`, url: `gs://${name}` }),
    },
    {
        type: "gcp:kms/cryptoKey:CryptoKey",
        inputs: (_rng, name) => ({ name, keyRing: UNKNOWN_STRING, rotationPeriod: "7776000s", purpose: "ENCRYPT_DECRYPT" }),
    },
    {
        type: "gcp:cloudrunv2/service:Service",
        inputs: (rng, name, leak) => ({
            name, location: "europe-west1",
            template: { containers: [{ image: `europe-docker.pkg.dev/proj/ml/${name}:1.${rng.int(20)}`,
                envs: [{ name: "MODEL_NAME", value: "resnet50" }, { name: leak ? "HF_TOKEN" : "BATCH_SIZE", value: leak ?? "32" }] }] },
        }),
    },
    {
        type: "azure-native:keyvault:Vault",
        inputs: (rng, name) => ({ vaultName: name, resourceGroupName: "ml-rg", location: "westeurope",
            properties: { tenantId: `${rng.chars(HEX, 8)}-${rng.chars(HEX, 4)}-${rng.chars(HEX, 4)}-${rng.chars(HEX, 4)}-${rng.chars(HEX, 12)}`,
                sku: { family: "A", name: "standard" }, enableRbacAuthorization: true, enableSoftDelete: true, enablePurgeProtection: true,
                networkAcls: { defaultAction: "Deny", bypass: "AzureServices" } } }),
    },
    {
        type: "azure-native:web:WebApp",
        inputs: (_rng, name, leak) => ({ name, resourceGroupName: "ml-rg", location: "westeurope",
            siteConfig: { appSettings: [{ name: "WEBSITES_PORT", value: "8080" }, { name: leak ? "STORAGE_CONNECTION" : "MODEL_URI", value: leak ?? "azureml://models/resnet/1" }] } }),
    },
    {
        type: "azure-native:machinelearningservices:Workspace",
        inputs: (_rng, name) => ({ workspaceName: name, resourceGroupName: "ml-rg", location: "westeurope", keyVault: UNKNOWN_STRING,
            storageAccount: UNKNOWN_STRING, identity: { type: "SystemAssigned" }, description: "training workspace" }),
    },
    {
        type: "vault:kv/secretV2:SecretV2",
        inputs: (_rng, name, leak) => ({ mount: "kv", name, dataJson: JSON.stringify(leak ? { api_key: leak, owner: "ml" } : { owner: "ml", region: "eu" }) }),
    },
    {
        type: "vault:transit/secretBackendKey:SecretBackendKey",
        inputs: (_rng, name) => ({ backend: "transit", name, type: "aes256-gcm96", autoRotatePeriod: 2592000, exportable: false, deletionAllowed: false }),
    },
];

/**
 * A mixed stack: a root Stack resource, then `n - 1` resources across AWS, GCP, Azure and Vault; `leakShare` of
 * them hold a fake secret-shaped literal (a fifth by default).
 */
export function synthStack(n: number, rng = new Rng(), leakShare = 0.2): SynthResource[] {
    const root = "urn:pulumi:dev::bench::pulumi:pulumi:Stack::bench-dev";
    const out: SynthResource[] = [{
        urn: root, type: "pulumi:pulumi:Stack", name: "bench-dev", inputs: {},
        outputs: { bucketName: "ml-artifacts", endpoint: "https://api.example.com", apiKey: secret(UNKNOWN_STRING) },
        dependencies: [], propertyDependencies: {},
    }];
    const leakEvery = leakShare > 0 ? Math.round(1 / leakShare) : 0;
    const leakable = SHAPES.filter((s) => s.inputs.length >= 3);
    for (let i = 1; i < n; i++) {
        const leak = leakEvery > 0 && i % leakEvery === 0;
        const shape = leak ? leakable[i % leakable.length] : SHAPES[i % SHAPES.length];
        const name = `res-${i}`;
        const inputs = shape.inputs(rng, name, leak ? fakeSecret(rng) : undefined);
        const outputs = { ...inputs, id: `${name}-${rng.chars(HEX, 8)}`, ...(shape.computed?.(rng, name) ?? {}) };
        out.push({
            urn: `urn:pulumi:dev::bench::${shape.type}::${name}`, type: shape.type, name, inputs, outputs, parent: root,
            dependencies: [], propertyDependencies: {},
        });
    }
    return out;
}

/** String data in a wire value, in UTF-16 code units (= bytes for this ASCII data), JSON documents counted once. */
export function stringBytes(v: unknown): number {
    let n = 0;
    const stack: unknown[] = [v];
    while (stack.length) {
        const x = stack.pop();
        if (typeof x === "string") n += x.length;
        else if (Array.isArray(x)) stack.push(...x);
        else if (x && typeof x === "object") stack.push(...Object.values(x));
    }
    return n;
}

/** About `bytes` of IAM policy documents, as one JSON array. */
export function policyDocuments(bytes: number, rng = new Rng()): string {
    const docs: unknown[] = [];
    let size = 2;
    while (size < bytes) {
        const d = JSON.parse(iamPolicy(rng));
        d.Statement.push({ Effect: "Deny", Action: "*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } });
        size += JSON.stringify(d).length + 1;
        docs.push(d);
    }
    return JSON.stringify(docs);
}

/** About `bytes` of Kubernetes manifests (Deployments, Services, ConfigMaps) as one JSON List; 1 in 50 leaks a fake key. */
export function k8sManifests(bytes: number, rng = new Rng()): string {
    const items: unknown[] = [];
    let size = 40;
    let i = 0;
    while (size < bytes) {
        const name = `model-server-${i++}`;
        const kind = i % 3;
        const item = kind === 0 ? {
            apiVersion: "apps/v1", kind: "Deployment", metadata: { name, namespace: "ml", labels: { app: name, tier: "inference" } },
            spec: { replicas: 3, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{
                name: "server", image: `registry.example.com/ml/${name}:v${rng.int(100)}`, ports: [{ containerPort: 8080 }],
                env: [{ name: "MODEL_PATH", value: `/models/${name}` }, { name: "OMP_NUM_THREADS", value: "4" },
                    i % 50 === 0 ? { name: "OPENAI_API_KEY", value: fakeSecret(rng) } : { name: "TOKEN_FILE", value: "/var/run/secrets/token" }],
                resources: { limits: { cpu: "2", memory: "4Gi" }, requests: { cpu: "1", memory: "2Gi" } } }] } } },
        } : kind === 1 ? {
            apiVersion: "v1", kind: "Service", metadata: { name, namespace: "ml" },
            spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080, protocol: "TCP" }], type: "ClusterIP" },
        } : {
            apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "ml" },
            data: { "config.yaml": `batch_size: 32\nmodel: ${name}\nthreshold: 0.${rng.int(100)}\nendpoint: https://api.example.com/v1/${name}\n` },
        };
        size += JSON.stringify(item).length + 1;
        items.push(item);
    }
    return JSON.stringify({ apiVersion: "v1", kind: "List", items });
}
