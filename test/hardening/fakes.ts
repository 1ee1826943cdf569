// Fake, format-correct credentials for every detector, generated at run time from a seedable PRNG (so fast-check
// runs with a fixed seed are reproducible) or from crypto randomness (the redaction audit). Nothing here is a live
// credential and none is ever committed: the bodies are random.
import * as crypto from "crypto";

const UP = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LO = "abcdefghijklmnopqrstuvwxyz";
const DI = "0123456789";
const ALNUM = UP + LO + DI;
const B64 = ALNUM + "+/";
const B64URL = ALNUM + "-_";
const HEX = "0123456789abcdef";
const B32 = UP + "234567";

/** A source of uniform integers in [0, n). */
export type Rand = (n: number) => number;

/** mulberry32: small, seedable, good enough to draw fake key bodies. */
export function seeded(seed: number): Rand {
    let a = seed | 0;
    return (n: number) => {
        a = (a + 0x6d2b79f5) | 0;
        let t = Math.imul(a ^ (a >>> 15), 1 | a);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
    };
}

export const cryptoRand: Rand = (n: number) => crypto.randomInt(n);

/** Random run from `alphabet`; when long enough, it holds upper case, lower case and digits if the alphabet has them. */
function run(rand: Rand, n: number, alphabet = ALNUM): string {
    for (;;) {
        let s = "";
        for (let i = 0; i < n; i++) s += alphabet[rand(alphabet.length)];
        const need = [UP, LO, DI].filter((cls) => [...cls].some((c) => alphabet.includes(c)));
        if (n < 12 || need.every((cls) => [...s].some((c) => cls.includes(c)))) return s;
    }
}

export interface Planted {
    /** The detector expected to find it. */
    detector: string;
    /** The whole string to put in a property (the credential with the context its format needs). */
    value: string;
    /** The sensitive part: no 5-character slice of it may ever appear in any output. */
    secret: string;
    /** A property key that suits the value (format detectors do not need it). */
    key: string;
}

const pemBody = (rand: Rand, lines: number) => {
    let s = "";
    for (let i = 0; i < lines; i++) s += run(rand, 64, B64) + "\n";
    return s;
};
const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");

/** One generator per format detector in FORMAT_DETECTORS (the test checks the two lists match). */
export const FORMAT_FAKES: Record<string, (rand: Rand) => Planted> = {
    "aws-access-key-id": (r) => {
        const v = "AKIA" + run(r, 16, B32);
        return { detector: "aws-access-key-id", value: v, secret: v, key: "accessKeyId" };
    },
    "aws-secret-access-key": (r) => {
        const s = run(r, 40, B64);
        return { detector: "aws-secret-access-key", value: `aws_secret_access_key = ${s}`, secret: s, key: "credentialsFile" };
    },
    "gcp-api-key": (r) => {
        const v = "AIza" + run(r, 35, B64URL);
        return { detector: "gcp-api-key", value: v, secret: v, key: "mapsKey" };
    },
    "gcp-service-account-key": (r) => {
        const body = pemBody(r, 6);
        const sa = {
            type: "service_account", project_id: `ml-proj-${run(r, 6, LO + DI)}`, private_key_id: run(r, 40, HEX),
            private_key: `-----BEGIN PRIVATE KEY-----\n${body}-----END PRIVATE KEY-----\n`,
            client_email: "trainer@ml-proj.iam.gserviceaccount.com",
        };
        // The key material is what must never show; the JSON framing is public.
        return { detector: "gcp-service-account-key", value: JSON.stringify(sa), secret: body.replace(/\n/g, "").slice(0, 200), key: "credentials" };
    },
    "azure-storage-key": (r) => {
        const k = run(r, 86, B64) + "==";
        return { detector: "azure-storage-key", value: `DefaultEndpointsProtocol=https;AccountName=mlstore;AccountKey=${k};EndpointSuffix=core.windows.net`, secret: k, key: "storageConn" };
    },
    "azure-shared-access-key": (r) => {
        const k = run(r, 43, B64) + "=";
        return { detector: "azure-shared-access-key", value: `Endpoint=sb://ml-bus.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=${k}`, secret: k, key: "busConn" };
    },
    "azure-sas-token": (r) => {
        const sig = encodeURIComponent(run(r, 43, B64) + "=");
        return { detector: "azure-sas-token", value: `https://mlstore.blob.core.windows.net/models?sv=2022-11-02&ss=b&srt=sco&sp=rl&se=2030-01-01T00:00:00Z&spr=https&sig=${sig}`, secret: sig, key: "modelsUrl" };
    },
    "vault-token": (r) => {
        const v = "hvs." + run(r, 90, ALNUM + "_-");
        return { detector: "vault-token", value: v, secret: v, key: "vaultAuth" };
    },
    "openai-api-key": (r) => {
        const v = "sk-proj-" + run(r, 48);
        return { detector: "openai-api-key", value: v, secret: v, key: "llm" };
    },
    "anthropic-api-key": (r) => {
        const v = `sk-ant-api03-${run(r, 93, ALNUM + "-_")}AA`;
        return { detector: "anthropic-api-key", value: v, secret: v, key: "llm2" };
    },
    "huggingface-token": (r) => {
        const v = "hf_" + run(r, 34);
        return { detector: "huggingface-token", value: v, secret: v, key: "hub" };
    },
    "github-token": (r) => {
        const v = "ghp_" + run(r, 36);
        return { detector: "github-token", value: v, secret: v, key: "ci" };
    },
    "gitlab-token": (r) => {
        const v = "glpat-" + run(r, 20);
        return { detector: "gitlab-token", value: v, secret: v, key: "scm" };
    },
    "slack-token": (r) => {
        const v = `xoxb-${run(r, 12, DI)}-${run(r, 13, DI)}-${run(r, 24)}`;
        return { detector: "slack-token", value: v, secret: v, key: "chat" };
    },
    "slack-webhook": (r) => {
        const tail = `T${run(r, 8, UP + DI)}/B${run(r, 10, UP + DI)}/${run(r, 24)}`;
        return { detector: "slack-webhook", value: `https://hooks.slack.com/services/${tail}`, secret: tail, key: "alerts" };
    },
    "stripe-key": (r) => {
        const v = "sk_live_" + run(r, 99);
        return { detector: "stripe-key", value: v, secret: v, key: "billing" };
    },
    "databricks-token": (r) => {
        const v = "dapi" + run(r, 32, HEX);
        return { detector: "databricks-token", value: v, secret: v, key: "lakehouse" };
    },
    "private-key": (r) => {
        const body = pemBody(r, 6);
        return { detector: "private-key", value: `-----BEGIN RSA PRIVATE KEY-----\n${body}-----END RSA PRIVATE KEY-----\n`, secret: body.replace(/\n/g, "").slice(0, 200), key: "sshKeyMaterial" };
    },
    "jwt": (r) => {
        const v = `${b64url({ alg: "HS256", typ: "JWT" })}.${b64url({ sub: run(r, 10, DI), name: "trainer", iat: 1716239022 })}.${run(r, 43, B64URL)}`;
        // Header and payload shapes are guessable; the signature and the random subject are what must not leak.
        return { detector: "jwt", value: v, secret: v.slice(v.indexOf(".") + 1), key: "session" };
    },
    "url-password": (r) => {
        const pw = run(r, 16);
        return { detector: "url-password", value: `postgres://mladmin:${pw}@db.internal:5432/features`, secret: pw, key: "dsn" };
    },
    "connection-string-password": (r) => {
        const pw = run(r, 16);
        return { detector: "connection-string-password", value: `Server=tcp:ml-sql.database.windows.net,1433;Initial Catalog=features;User ID=mladmin;Password=${pw};Encrypt=True;`, secret: pw, key: "sqlConn" };
    },
    "pulumi-access-token": (r) => {
        const v = "pul-" + run(r, 40, HEX);
        return { detector: "pulumi-access-token", value: `PULUMI_ACCESS_TOKEN=${v}`, secret: v, key: "ciEnv" };
    },
    "npm-token": (r) => {
        const v = "npm_" + run(r, 36);
        return { detector: "npm-token", value: `//registry.npmjs.org/:_authToken=${v}`, secret: v, key: "npmrc" };
    },
    "replicate-token": (r) => {
        const v = "r8_" + run(r, 37);
        return { detector: "replicate-token", value: v, secret: v, key: "imageGen" };
    },
    "azure-ad-client-secret": (r) => {
        const v = `${run(r, 3)}${run(r, 1, DI)}Q~${run(r, 34, ALNUM + "_~.-")}`;
        return { detector: "azure-ad-client-secret", value: v, secret: v, key: "appReg" };
    },
    "secret-assignment": (r) => {
        const v = `Pw-${run(r, 20)}`;
        return { detector: "secret-assignment", value: `#!/bin/bash\nexport WANDB_API_KEY=${v}\npython /opt/train.py\n`, secret: v, key: "userData" };
    },
};

/** A literal at a secret-bearing key (detector secret-key-name). */
export function keyNameFake(r: Rand): Planted {
    const v = `Pw-${run(r, 20)}`;
    return { detector: "secret-key-name", value: v, secret: v, key: "dbPassword" };
}

/** A committed placeholder at a secret-bearing key. Not a secret; the secret part is empty (nothing to hide). */
export function placeholderFake(): Planted {
    return { detector: "placeholder", value: "changeme", secret: "", key: "apiToken" };
}
