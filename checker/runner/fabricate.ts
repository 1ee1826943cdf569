// Fake-but-realistic values for what a real deployment would compute: resource ids and computed outputs in update
// mode, and results of the few invokes ML stacks call. Deterministic per URN (hash-derived), except random
// provider results, which are real random strings as the random provider would produce.
import * as crypto from "crypto";
import { SECRET_SIG, SIG_KEY } from "../../policies/lib/wire";

export const ACCOUNT = "123456789012";
export const DEFAULT_REGION = "us-east-1";
export const SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";
export const TENANT = "11111111-1111-1111-1111-111111111111";


type Obj = Record<string, any>;

function hex(seed: string, n: number): string {
    return crypto.createHash("sha256").update(seed).digest("hex").slice(0, n);
}

function uuidFrom(seed: string): string {
    const h = hex(seed, 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Strips secret wrappers (any depth). */
export function plain(v: any): any {
    if (Array.isArray(v)) return v.map(plain);
    if (v && typeof v === "object") {
        if (v[SIG_KEY] === SECRET_SIG) return plain(v.value);
        const out: Obj = {};
        for (const [k, x] of Object.entries(v)) out[k] = plain(x);
        return out;
    }
    return v;
}

function str(v: any): string | undefined {
    const p = plain(v);
    return typeof p === "string" && p.length > 0 && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(p) ? p : undefined;
}

/** `aws:s3/bucket:Bucket` -> {pkg: aws, module: s3, member: bucket, kind: Bucket}. */
export function splitToken(type: string): { pkg: string; module: string; member: string; kind: string } {
    const [pkg, mod = "", kind = ""] = type.split(":");
    const [module, member = ""] = mod.split("/");
    return { pkg, module, member, kind };
}

function randomString(length: number, chars: string): string {
    const bytes = crypto.randomBytes(length);
    let out = "";
    for (let i = 0; i < length; i++) out += chars[bytes[i] % chars.length];
    return out;
}

function camelToKebab(s: string): string {
    return s.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
}

const AZURE_NAMESPACES: Record<string, string> = {
    keyvault: "Microsoft.KeyVault",
    operationalinsights: "Microsoft.OperationalInsights",
    applicationinsights: "Microsoft.Insights",
    insights: "Microsoft.Insights",
    machinelearningservices: "Microsoft.MachineLearningServices",
    authorization: "Microsoft.Authorization",
    storage: "Microsoft.Storage",
    resources: "Microsoft.Resources",
    network: "Microsoft.Network",
    containerregistry: "Microsoft.ContainerRegistry",
    managedidentity: "Microsoft.ManagedIdentity",
    containerservice: "Microsoft.ContainerService",
    cognitiveservices: "Microsoft.CognitiveServices",
};

export interface Fabricated {
    id: string;
    outputs: Obj;
}

/**
 * Update mode: the id and computed outputs a provider would return on create. `inputs` are plain-or-wrapped inputs;
 * returned outputs only hold keys not in the inputs (the caller merges, inputs first).
 */
export function fabricate(type: string, name: string, urn: string, inputs: Obj, config: Record<string, string>): Fabricated {
    const t = splitToken(type);
    const h7 = hex(urn, 7);
    const physical = str(inputs.name) ?? `${name}-${h7}`;
    const out: Obj = {};
    switch (t.pkg) {
        case "random": {
            const len = typeof plain(inputs.length) === "number" ? plain(inputs.length) : 16;
            if (t.kind === "RandomPassword" || t.kind === "RandomString") {
                let chars = "abcdefghijklmnopqrstuvwxyz";
                if (plain(inputs.upper) !== false) chars += "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
                if (plain(inputs.numeric) !== false && plain(inputs.number) !== false) chars += "0123456789";
                if (plain(inputs.special) !== false) chars += str(inputs.overrideSpecial) ?? "!#$%&*()-_=+[]{}<>:?";
                const result = randomString(len, chars);
                out.result = result;
                if (t.kind === "RandomPassword") {
                    out.bcryptHash = "$2a$10$" + randomString(53, "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
                    return { id: "none", outputs: out };
                }
                return { id: result, outputs: out };
            }
            if (t.kind === "RandomId") {
                const n = typeof plain(inputs.byteLength) === "number" ? plain(inputs.byteLength) : 8;
                const b = crypto.randomBytes(n);
                out.hex = b.toString("hex");
                out.b64Std = b.toString("base64");
                out.b64Url = b.toString("base64url");
                out.dec = BigInt("0x" + out.hex).toString();
                return { id: out.b64Url, outputs: out };
            }
            if (t.kind === "RandomPet") {
                const id = `${str(inputs.prefix) ? str(inputs.prefix) + "-" : ""}brave-${hex(urn, 4)}-otter`;
                return { id, outputs: {} };
            }
            if (t.kind === "RandomUuid") {
                const id = crypto.randomUUID();
                out.result = id;
                return { id, outputs: out };
            }
            if (t.kind === "RandomInteger") {
                const min = Number(plain(inputs.min) ?? 0), max = Number(plain(inputs.max) ?? 100);
                const v = min + (crypto.randomBytes(4).readUInt32BE(0) % Math.max(1, max - min + 1));
                out.result = v;
                return { id: String(v), outputs: out };
            }
            return { id: h7, outputs: out };
        }
        case "aws": {
            const REGION = config["aws:region"] || DEFAULT_REGION;
            const service = t.module === "index" ? "iam" : t.module;
            const resType = t.member ? camelToKebab(t.member) : camelToKebab(t.kind);
            let id = physical;
            let arn: string;
            if (service === "kms" && t.kind === "Key") {
                id = uuidFrom(urn);
                arn = `arn:aws:kms:${REGION}:${ACCOUNT}:key/${id}`;
                out.keyId = id;
            } else if (service === "kms" && t.kind === "Alias") {
                arn = `arn:aws:kms:${REGION}:${ACCOUNT}:${physical.startsWith("alias/") ? physical : "alias/" + physical}`;
                out.targetKeyArn = `arn:aws:kms:${REGION}:${ACCOUNT}:key/${uuidFrom(urn + "target")}`;
            } else if (service === "secretsmanager" && t.kind === "Secret") {
                arn = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${physical}-${hex(urn, 6)}`;
                id = arn;
            } else if (service === "secretsmanager") {
                arn = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-${hex(urn, 6)}`;
                id = `${arn}|${uuidFrom(urn)}`;
                out.versionId = uuidFrom(urn);
            } else if (service === "ssm" && t.kind === "Parameter") {
                arn = `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/${physical.replace(/^\//, "")}`;
            } else if (service === "s3" && /^Bucket(V2)?$/.test(t.kind)) {
                id = str(inputs.bucket) ?? physical.toLowerCase();
                arn = `arn:aws:s3:::${id}`;
                out.bucket = id;
                out.bucketDomainName = `${id}.s3.amazonaws.com`;
                out.bucketRegionalDomainName = `${id}.s3.${REGION}.amazonaws.com`;
                out.region = REGION;
            } else if (service === "iam") {
                arn = `arn:aws:iam::${ACCOUNT}:${resType.replace(/-policy-attachment$/, "")}/${physical}`;
                if (t.kind === "Role" || t.kind === "User") out.uniqueId = "AROA" + hex(urn, 17).toUpperCase();
                if (t.kind === "AccessKey") {
                    id = "AKIA" + hex(urn, 16).toUpperCase();
                    out.secret = { [SIG_KEY]: SECRET_SIG, value: randomString(40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") };
                }
            } else if (service === "sagemaker") {
                arn = `arn:aws:sagemaker:${REGION}:${ACCOUNT}:${resType}/${physical.toLowerCase()}`;
            } else if (service === "lambda" && t.kind === "Function") {
                arn = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${physical}`;
                out.invokeArn = `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/${arn}/invocations`;
            } else {
                arn = `arn:aws:${service}:${REGION}:${ACCOUNT}:${resType}/${physical}`;
            }
            out.arn = arn;
            if (inputs.name === undefined && !["kms", "s3"].includes(service)) out.name = physical;
            if (inputs.tags !== undefined) out.tagsAll = inputs.tags;
            return { id, outputs: out };
        }
        case "azure-native": {
            const rg = str(inputs.resourceGroupName) ?? "rg-" + h7;
            const ns = AZURE_NAMESPACES[t.module] ??
                (t.module ? "Microsoft." + t.module.charAt(0).toUpperCase() + t.module.slice(1) : "Microsoft.Resources");
            const nameKey = Object.keys(inputs).find((k) => k !== "resourceGroupName" && /Name$/.test(k) && str(inputs[k]));
            const rname = (nameKey && str(inputs[nameKey])) ?? `${name}${h7}`;
            const kindPath = t.kind.charAt(0).toLowerCase() + t.kind.slice(1) + "s";
            let id: string;
            if (t.module === "authorization" && t.kind === "RoleAssignment" && str(inputs.scope)) {
                id = `${str(inputs.scope)}/providers/Microsoft.Authorization/roleAssignments/${str(inputs.roleAssignmentName) ?? uuidFrom(urn)}`;
            } else if (t.kind === "ResourceGroup") {
                id = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${str(inputs.resourceGroupName) ?? name + h7}`;
            } else if (t.module === "keyvault" && (t.kind === "Secret" || t.kind === "Key")) {
                const vault = str(inputs.vaultName) ?? "kv" + h7;
                id = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${rg}/providers/Microsoft.KeyVault/vaults/${vault}/${kindPath}/${rname}`;
                const uri = `https://${vault}.vault.azure.net/${kindPath}/${rname}`;
                const props = plain(inputs.properties) && typeof plain(inputs.properties) === "object" ? inputs.properties : {};
                out.properties = { ...props, [t.kind === "Secret" ? "secretUri" : "keyUri"]: uri, [t.kind === "Secret" ? "secretUriWithVersion" : "keyUriWithVersion"]: `${uri}/${hex(urn, 32)}` };
            } else {
                id = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${rg}/providers/${ns}/${kindPath}/${rname}`;
                if (t.module === "keyvault" && t.kind === "Vault") {
                    const vaultName = str(inputs.vaultName) ?? rname;
                    const p = plain(inputs.properties);
                    out.properties = { ...(p && typeof p === "object" ? inputs.properties : {}), vaultUri: `https://${vaultName}.vault.azure.net/` };
                    out.vaultUri = `https://${vaultName}.vault.azure.net/`;
                }
            }
            const identity = plain(inputs.identity);
            if (identity && typeof identity === "object" && /SystemAssigned/.test(String(identity.type ?? ""))) {
                out.identity = { principalId: uuidFrom(urn + "principal"), tenantId: TENANT };
            }
            if (inputs.name === undefined) out.name = rname;
            out.type = `${ns}/${kindPath}`;
            out.azureApiVersion = "2023-07-01";
            return { id, outputs: out };
        }
        case "gcp": {
            const project = str(inputs.project) ?? config["gcp:project"] ?? "my-project";
            const location = str(inputs.location) ?? config["gcp:region"] ?? "us-central1";
            let id: string;
            if (t.module === "kms" && t.kind === "KeyRing") {
                id = `projects/${project}/locations/${location}/keyRings/${physical}`;
            } else if (t.module === "kms" && t.kind === "CryptoKey") {
                id = `${str(inputs.keyRing) ?? `projects/${project}/locations/${location}/keyRings/ring-${h7}`}/cryptoKeys/${physical}`;
            } else if (t.module === "secretmanager" && t.kind === "Secret") {
                id = `projects/${project}/secrets/${str(inputs.secretId) ?? physical}`;
                out.name = `projects/${ACCOUNT}/secrets/${str(inputs.secretId) ?? physical}`;
            } else if (t.module === "secretmanager" && t.kind === "SecretVersion") {
                id = `${str(inputs.secret) ?? `projects/${project}/secrets/${name}`}/versions/1`;
                out.name = id;
                out.version = "1";
            } else if (t.module === "serviceaccount" && t.kind === "Account") {
                const acct = str(inputs.accountId) ?? physical;
                id = `projects/${project}/serviceAccounts/${acct}@${project}.iam.gserviceaccount.com`;
                out.email = `${acct}@${project}.iam.gserviceaccount.com`;
                out.uniqueId = String(BigInt("0x" + hex(urn, 15)));
            } else if (t.module === "storage" && t.kind === "Bucket") {
                id = physical;
                out.url = `gs://${physical}`;
                out.selfLink = `https://www.googleapis.com/storage/v1/b/${physical}`;
            } else {
                id = `projects/${project}/locations/${location}/${t.member || camelToKebab(t.kind)}s/${physical}`;
            }
            if (inputs.name === undefined && out.name === undefined) out.name = physical;
            if (inputs.project === undefined) out.project = project;
            return { id, outputs: out };
        }
        case "vault": {
            const p = str(inputs.path) ?? str(inputs.name) ?? name;
            if (inputs.accessor === undefined && t.module === "index" && t.kind === "Mount") out.accessor = "mount_" + hex(urn, 8);
            return { id: p, outputs: out };
        }
        default:
            return { id: physical, outputs: inputs.name === undefined ? {} : {} };
    }
}

/** Results of invokes. Never secret-wrapped (as in reality). */
export function invokeResult(token: string, args: Obj, config: Record<string, string>): Obj {
    const a = plain(args) as Obj;
    switch (token) {
        case "vault:transit/getEncrypt:getEncrypt":
            return { ...a, ciphertext: "vault:v1:" + Buffer.from(String(a.plaintext ?? ""), "utf8").toString("base64"), id: "encrypt" };
        case "vault:transit/getDecrypt:getDecrypt": {
            const ct = String(a.ciphertext ?? "");
            const b64 = ct.startsWith("vault:v1:") ? ct.slice("vault:v1:".length) : ct;
            return { ...a, plaintext: Buffer.from(b64, "base64").toString("utf8"), id: "decrypt" };
        }
        case "aws:index/getCallerIdentity:getCallerIdentity":
            return { accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/offline-checker`, userId: "AIDA" + "OFFLINECHECKER0001", id: ACCOUNT };
        case "aws:index/getRegion:getRegion": {
            const region = (a.name as string) || config["aws:region"] || DEFAULT_REGION;
            return { name: region, region, id: region, endpoint: `ec2.${region}.amazonaws.com`, description: region };
        }
        case "aws:index/getPartition:getPartition":
            return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" };
        case "azure-native:authorization:getClientConfig":
            return { clientId: "22222222-2222-2222-2222-222222222222", objectId: "33333333-3333-3333-3333-333333333333", subscriptionId: SUBSCRIPTION, tenantId: TENANT };
        case "gcp:organizations/getClientConfig:getClientConfig":
            return { project: config["gcp:project"] ?? "my-project", region: config["gcp:region"] ?? "us-central1", zone: "us-central1-a", accessToken: "offline", id: "offline" };
        case "gcp:organizations/getProject:getProject":
            return { projectId: a.projectId ?? config["gcp:project"] ?? "my-project", number: ACCOUNT, name: a.projectId ?? config["gcp:project"] ?? "my-project", id: `projects/${config["gcp:project"] ?? "my-project"}` };
        default:
            return a;
    }
}
