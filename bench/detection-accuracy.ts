// Precision / recall of findCredentialFormats on the labelled set, and its throughput.
//   npx tsc -p tsconfig.json && node dist/bench/detection-accuracy.js
// Prints entries by index and detector only: NEVER the values. Exits non-zero only on a crash.
import { findCredentialFormats } from "../policies/detection";
import { Labelled, loadLabelled } from "../test/policies/detection/labelled";

export interface LabelledAccuracy {
    tp: number;
    fn: number;
    fp: number;
    tn: number;
    /** `#index expected <detector>, found [...]`: indexes and detector ids only, never values. */
    falseNegatives: string[];
    falsePositives: string[];
    perDetector: Map<string, { tp: number; fn: number }>;
}

/** Precision and recall of findCredentialFormats on the labelled set (shared by this script and the bench). */
export function labelledAccuracy(set: Labelled[] = loadLabelled()): LabelledAccuracy {
    const a: LabelledAccuracy = { tp: 0, fn: 0, fp: 0, tn: 0, falseNegatives: [], falsePositives: [], perDetector: new Map() };
    for (const [i, e] of set.entries()) {
        const found = new Set(findCredentialFormats(e.value).map((h) => h.detector));
        if (e.positive) {
            const d = a.perDetector.get(e.detector!) ?? { tp: 0, fn: 0 };
            if (found.has(e.detector!)) {
                a.tp++;
                d.tp++;
            } else {
                a.fn++;
                d.fn++;
                a.falseNegatives.push(`#${i} expected ${e.detector}, found [${[...found].join(", ")}]`);
            }
            a.perDetector.set(e.detector!, d);
        } else if (found.size > 0) {
            a.fp++;
            a.falsePositives.push(`#${i} flagged by [${[...found].join(", ")}]`);
        } else {
            a.tn++;
        }
    }
    return a;
}

function accuracy(set: Labelled[]): void {
    const { tp, fn, fp, tn, falseNegatives: fns, falsePositives: fps, perDetector } = labelledAccuracy(set);
    const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
    const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
    console.log(`labelled set: ${set.length} entries (${tp + fn} positive, ${fp + tn} negative)`);
    console.log(`precision ${(precision * 100).toFixed(2)}%  recall ${(recall * 100).toFixed(2)}%  TP ${tp}  FN ${fn}  FP ${fp}  TN ${tn}`);
    console.log("per detector (found/positives):");
    for (const [id, d] of [...perDetector].sort()) console.log(`  ${id.padEnd(28)} ${d.tp}/${d.tp + d.fn}`);
    console.log(`false negatives: ${fns.length ? "\n  " + fns.join("\n  ") : "none"}`);
    console.log(`false positives: ${fps.length ? "\n  " + fps.join("\n  ") : "none"}`);
}

function throughput(name: string, strings: string[]): void {
    const bytes = strings.reduce((n, s) => n + Buffer.byteLength(s), 0);
    let hits = 0;
    for (const s of strings.slice(0, 2000)) hits += findCredentialFormats(s).length; // warm-up
    let best = Infinity;
    for (let run = 0; run < 3; run++) {
        hits = 0;
        const t0 = process.hrtime.bigint();
        for (const s of strings) hits += findCredentialFormats(s).length;
        best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
    }
    const mbps = bytes / 1e6 / best;
    console.log(`${name}: ${(bytes / 1e6).toFixed(1)} MB in ${strings.length} strings, ${(best * 1000).toFixed(0)} ms, ` +
        `${mbps.toFixed(0)} MB/s, ${hits} hits ${mbps >= 50 ? "(target >= 50 MB/s met)" : "(BELOW the 50 MB/s target)"}`);
}

/** A ~5 MB realistic JSON document: IAM policies, k8s manifests, ECS task definitions, Azure ids, digests. */
function realisticDocument(): string {
    let seed = 99;
    const rnd = () => {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        return seed / 0x80000000;
    };
    const hex = (n: number) => Array.from({ length: n }, () => "0123456789abcdef"[Math.floor(rnd() * 16)]).join("");
    const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
    const docs: unknown[] = [];
    let size = 0;
    for (let i = 0; size < 5e6; i++) {
        const doc = {
            iamPolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [
                    { Sid: `ReadModels${i}`, Effect: "Allow", Action: ["s3:GetObject", "s3:ListBucket"], Resource: [`arn:aws:s3:::ml-models-${i}`, `arn:aws:s3:::ml-models-${i}/*`] },
                    { Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: `arn:aws:secretsmanager:us-east-1:123456789012:secret:ml/${i}-AbCdEf`, Condition: { StringEquals: { "aws:RequestedRegion": "us-east-1" } } },
                ],
            }),
            deployment: {
                apiVersion: "apps/v1", kind: "Deployment",
                metadata: { name: `trainer-${i}`, namespace: "ml", labels: { app: "trainer", "app.kubernetes.io/version": `v${i % 7}.${i % 13}` }, annotations: { "checksum/config": hex(64) } },
                spec: { replicas: 1 + (i % 3), template: { spec: { containers: [{
                    name: "trainer", image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/trainer@sha256:${hex(64)}`,
                    env: [{ name: "MODEL_URI", value: `s3://ml-models-${i}/checkpoints/epoch-${i % 50}/` }, { name: "RUN_ID", value: uuid() },
                        { name: "OPENAI_API_KEY", valueFrom: { secretKeyRef: { name: "openai", key: "api-key" } } }, { name: "DB_HOST", value: "postgres://features.internal:5432/f" }],
                    resources: { limits: { cpu: "4", memory: "16Gi", "nvidia.com/gpu": "1" } },
                }] } } },
            },
            containerDefinitions: JSON.stringify([{ name: "serve", image: `ghcr.io/acme/serve:${hex(7)}`, portMappings: [{ containerPort: 8080 }],
                secrets: [{ name: "HF_TOKEN", valueFrom: `arn:aws:ssm:us-east-1:123456789012:parameter/ml/hf-token-${i}` }],
                logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": `/ecs/serve-${i}`, "awslogs-region": "us-east-1" } } }]),
            workspaceId: `/subscriptions/${uuid()}/resourceGroups/ml-rg/providers/Microsoft.MachineLearningServices/workspaces/ws-${i}`,
            keyVaultSecretUri: `https://ml-kv-${i % 10}.vault.azure.net/secrets/db-password/${hex(32)}`,
            commit: hex(40),
            description: "Training pipeline for the churn model. Reads features from the lake, writes checkpoints to S3 and registers the model.",
        };
        docs.push(doc);
        size += JSON.stringify(doc).length;
    }
    return JSON.stringify(docs, null, 1);
}

function main(): void {
    const set = loadLabelled();
    accuracy(set);

    const values = set.map((e) => e.value);
    const setBytes = values.reduce((n, s) => n + Buffer.byteLength(s), 0);
    const repeated: string[] = [];
    for (let i = 0; i < Math.ceil(20e6 / setBytes); i++) repeated.push(...values);
    throughput("(a) labelled set repeated", repeated);

    const doc = realisticDocument();
    throughput("(b) realistic JSON document, one string", [doc]);
    // The same document as the property strings a policy actually sees: every string leaf, JSON-in-strings included.
    const leaves: string[] = [];
    const walk = (v: unknown): void => {
        if (typeof v === "string") {
            leaves.push(v);
            if (v.startsWith("{") || v.startsWith("[")) walk(JSON.parse(v));
        } else if (Array.isArray(v)) v.forEach(walk);
        else if (v && typeof v === "object") Object.entries(v).forEach(([k, x]) => { leaves.push(k); walk(x); });
    };
    walk(JSON.parse(doc));
    throughput("(b') realistic JSON document, as its string leaves", leaves);
}

if (require.main === module) main();
