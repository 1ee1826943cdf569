// Secret sinks below the top level: the value fields of resources whose whole job is to hold a secret. Any
// non-empty literal there is hard-coded, whatever its shape ("myvalue" in a Key Vault secret is a committed secret).
// Curated by hand, next to the generated top-level table (schema-secrets.generated.ts), for the four providers this
// pack covers. Data only, matched by type token: no provider SDK is loaded. Pure: no @pulumi imports.
//
// Path patterns are written the way messages print paths (formatPath):
//   `configuration.secrets[*].value`  `[*]` any array index
//   `containers[*].secureEnvironmentVariables.*`  `*` any object key (map forms)
// A row also covers a JSON document held in the string at its path (`dataJson`, `secretString`): its leaves are sinks,
// except leaves whose key names what the secret is *for* and identifier-like values under other keys (see
// documentLeafIsSink).
//
// Property names and type tokens were checked against the installed SDKs (@pulumi/aws 7.48.0, @pulumi/gcp 9.37.0,
// @pulumi/azure-native 3.28.0, @pulumi/vault 7.8.0) and, for classic `azure:` (not installed), against
// pulumi/pulumi-azure's sdk/nodejs sources and the registry docs.
import { keyTokens } from "./keys";
import { isUnknown, JSON_MARK, PathSeg, unwrapSecret, Wire } from "../lib/wire";

/** A condition on a value in the same object as the sink (the APIM named value's `secret: true`). */
export interface SinkCondition {
    sibling: string;
    /** Compared after normalising "true"/"false" strings to booleans. */
    equals: string | boolean;
}

export interface SinkExample {
    /** The resource's input properties. */
    props: Wire;
    /** For a true example: the path (as formatPath prints it) that must be reported as a sink. */
    path?: string;
}

export interface SinkRow {
    type: string;
    path: string;
    when?: SinkCondition;
    /** Why the field is a sink, in a few words. */
    note: string;
    /** A literal the row must report, and a value at (or near) the row's path it must not. Run by sinks.test.ts. */
    examples: { hit: SinkExample; miss: SinkExample };
}

export const SECRET_SINKS: readonly SinkRow[] = [
    // ---- AWS ------------------------------------------------------------------------------------------------------
    {
        type: "aws:secretsmanager/secretVersion:SecretVersion", path: "secretString", note: "Secrets Manager secret value (and the leaves of a JSON secret)",
        examples: {
            hit: { props: { secretId: "arn:aws:secretsmanager:us-east-1:123456789012:secret:ml", secretString: JSON.stringify({ username: "mladmin", value: "myvalue" }) }, path: "secretString{json}.value" },
            miss: { props: { secretString: JSON.stringify({ username: "mladmin", host: "db.internal", port: "5432" }) } },
        },
    },
    {
        type: "aws:ssm/parameter:Parameter", path: "value", when: { sibling: "type", equals: "SecureString" }, note: "SSM SecureString parameter value",
        examples: {
            hit: { props: { name: "/ml/feature-flag", type: "SecureString", value: "Sup3rS3cret!2024" }, path: "value" },
            miss: { props: { name: "/ml/region", type: "String", value: "us-east-1" } },
        },
    },
    // ---- Google Cloud ---------------------------------------------------------------------------------------------
    {
        type: "gcp:secretmanager/secretVersion:SecretVersion", path: "secretData", note: "Secret Manager version payload",
        examples: {
            hit: { props: { secret: "projects/ml/secrets/hf", secretData: JSON.stringify({ token: "x", value: "myvalue" }) }, path: "secretData{json}.value" },
            miss: { props: { secret: "projects/ml/secrets/hf", secretData: "projects/ml/secrets/other/versions/1" } },
        },
    },
    {
        type: "gcp:secretmanager/regionalSecretVersion:RegionalSecretVersion", path: "secretData", note: "regional Secret Manager version payload",
        examples: {
            hit: { props: { secret: "projects/ml/locations/europe-west1/secrets/hf", secretData: JSON.stringify({ value: "myvalue" }) }, path: "secretData{json}.value" },
            miss: { props: { secret: "projects/ml/locations/europe-west1/secrets/hf", secretData: JSON.stringify({ endpoint: "inference.internal" }) } },
        },
    },
    {
        type: "gcp:monitoring/notificationChannel:NotificationChannel", path: "sensitiveLabels.serviceKey", note: "PagerDuty service key of a notification channel",
        examples: {
            hit: { props: { type: "pagerduty", sensitiveLabels: { serviceKey: "myvalue" } }, path: "sensitiveLabels.serviceKey" },
            miss: { props: { type: "pagerduty", labels: { serviceKey: "myvalue" } } },
        },
    },
    {
        type: "gcp:monitoring/notificationChannel:NotificationChannel", path: "sensitiveLabels.serviceKeyWo", note: "PagerDuty service key (write-only form)",
        examples: {
            hit: { props: { type: "pagerduty", sensitiveLabels: { serviceKeyWo: "myvalue" } }, path: "sensitiveLabels.serviceKeyWo" },
            miss: { props: { type: "pagerduty", sensitiveLabels: { serviceKeyWoVersion: "1" } } },
        },
    },
    // ---- Azure (azure-native) -------------------------------------------------------------------------------------
    {
        type: "azure-native:keyvault:Secret", path: "properties.value", note: "Key Vault secret value",
        examples: {
            hit: { props: { vaultName: "ml-kv", secretName: "db", properties: { value: "myvalue" } }, path: "properties.value" },
            miss: { props: { vaultName: "ml-kv", secretName: "db", properties: { contentType: "text/plain" } } },
        },
    },
    {
        type: "azure-native:apimanagement:NamedValue", path: "value", when: { sibling: "secret", equals: true }, note: "API Management named value marked secret",
        examples: {
            hit: { props: { displayName: "backend-key", secret: true, value: "myvalue" }, path: "value" },
            miss: { props: { displayName: "backend-url", secret: false, value: "myvalue" } },
        },
    },
    {
        type: "azure-native:apimanagement:WorkspaceNamedValue", path: "value", when: { sibling: "secret", equals: true }, note: "workspace named value marked secret",
        examples: {
            hit: { props: { displayName: "backend-key", secret: true, value: "myvalue" }, path: "value" },
            miss: { props: { displayName: "backend-url", value: "myvalue" } },
        },
    },
    {
        type: "azure-native:app:ContainerApp", path: "configuration.secrets[*].value", note: "Container Apps secret",
        examples: {
            hit: { props: { configuration: { secrets: [{ name: "hf", value: "myvalue" }] } }, path: "configuration.secrets[0].value" },
            miss: { props: { configuration: { secrets: [{ name: "hf", keyVaultUrl: "https://ml-kv.vault.azure.net/secrets/hf" }] }, template: { containers: [{ env: [{ name: "MODE", value: "myvalue" }] }] } } },
        },
    },
    {
        type: "azure-native:app:Job", path: "configuration.secrets[*].value", note: "Container Apps job secret",
        examples: {
            hit: { props: { configuration: { triggerType: "Manual", secrets: [{ name: "hf", value: "myvalue" }] } }, path: "configuration.secrets[0].value" },
            miss: { props: { configuration: { triggerType: "Manual", secrets: [{ name: "hf", identity: "system" }] } } },
        },
    },
    {
        type: "azure-native:app:DaprComponent", path: "secrets[*].value", note: "Dapr component secret",
        examples: {
            hit: { props: { componentType: "state.redis", secrets: [{ name: "redis", value: "myvalue" }] }, path: "secrets[0].value" },
            miss: { props: { componentType: "state.redis", metadata: [{ name: "redisHost", value: "cache.internal:6379" }] } },
        },
    },
    {
        type: "azure-native:containerinstance:ContainerGroup", path: "containers[*].environmentVariables[*].secureValue", note: "container instance secure environment variable",
        examples: {
            hit: { props: { containers: [{ name: "app", environmentVariables: [{ name: "MODE", secureValue: "myvalue" }] }] }, path: "containers[0].environmentVariables[0].secureValue" },
            miss: { props: { containers: [{ name: "app", environmentVariables: [{ name: "MODE", value: "myvalue" }] }] } },
        },
    },
    {
        type: "azure-native:containerinstance:ContainerGroup", path: "initContainers[*].environmentVariables[*].secureValue", note: "init container secure environment variable",
        examples: {
            hit: { props: { initContainers: [{ name: "init", environmentVariables: [{ name: "MODE", secureValue: "myvalue" }] }] }, path: "initContainers[0].environmentVariables[0].secureValue" },
            miss: { props: { initContainers: [{ name: "init", environmentVariables: [{ name: "MODE", value: "myvalue" }] }] } },
        },
    },
    {
        type: "azure-native:containerinstance:ContainerGroupProfile", path: "containers[*].environmentVariables[*].secureValue", note: "container group profile secure environment variable",
        examples: {
            hit: { props: { containers: [{ name: "app", environmentVariables: [{ name: "MODE", secureValue: "myvalue" }] }] }, path: "containers[0].environmentVariables[0].secureValue" },
            miss: { props: { containers: [{ name: "app", environmentVariables: [{ name: "MODE", value: "myvalue" }] }] } },
        },
    },
    {
        type: "azure-native:web:WebAppConnectionStrings", path: "properties.*.value", note: "App Service connection string",
        examples: {
            hit: { props: { name: "ml-app", properties: { Default: { type: "SQLAzure", value: "myvalue" } } }, path: "properties.Default.value" },
            miss: { props: { name: "ml-app", properties: { Default: { type: "SQLAzure" } }, kind: "myvalue" } },
        },
    },
    {
        type: "azure-native:web:WebAppConnectionStringsSlot", path: "properties.*.value", note: "App Service slot connection string",
        examples: {
            hit: { props: { name: "ml-app", slot: "staging", properties: { Default: { type: "SQLAzure", value: "myvalue" } } }, path: "properties.Default.value" },
            miss: { props: { name: "ml-app", slot: "staging", properties: { Default: { type: "SQLAzure" } } } },
        },
    },
    {
        type: "azure-native:automation:Variable", path: "value", when: { sibling: "isEncrypted", equals: true }, note: "encrypted Automation variable",
        examples: {
            hit: { props: { name: "modelRegistry", isEncrypted: true, value: "\"myvalue\"" }, path: "value" },
            miss: { props: { name: "modelRegistry", isEncrypted: false, value: "\"myvalue\"" } },
        },
    },
    {
        type: "azure-native:datafactory:LinkedService", path: "properties.*.value", when: { sibling: "type", equals: "SecureString" }, note: "Data Factory SecureString",
        examples: {
            hit: { props: { properties: { type: "AzureSqlDatabase", connectionString: { type: "SecureString", value: "myvalue" } } }, path: "properties.connectionString.value" },
            miss: { props: { properties: { type: "AzureBlobStorage", serviceEndpoint: { type: "Expression", value: "myvalue" } } } },
        },
    },
    // ---- Azure (classic azure:) -----------------------------------------------------------------------------------
    {
        type: "azure:keyvault/secret:Secret", path: "value", note: "Key Vault secret value",
        examples: {
            hit: { props: { name: "db", value: "myvalue" }, path: "value" },
            miss: { props: { name: "db", contentType: "myvalue" } },
        },
    },
    {
        type: "azure:keyvault/secret:Secret", path: "valueWo", note: "Key Vault secret value (write-only form)",
        examples: {
            hit: { props: { name: "db", valueWo: "myvalue", valueWoVersion: 1 }, path: "valueWo" },
            miss: { props: { name: "db", notBeforeDate: "2026-01-01T00:00:00Z" } },
        },
    },
    {
        type: "azure:apimanagement/namedValue:NamedValue", path: "value", when: { sibling: "secret", equals: true }, note: "API Management named value marked secret",
        examples: {
            hit: { props: { displayName: "backend-key", secret: true, value: "myvalue" }, path: "value" },
            miss: { props: { displayName: "backend-url", value: "myvalue" } },
        },
    },
    {
        type: "azure:containerapp/app:App", path: "secrets[*].value", note: "Container Apps secret",
        examples: {
            hit: { props: { secrets: [{ name: "hf", value: "myvalue" }] }, path: "secrets[0].value" },
            miss: { props: { secrets: [{ name: "hf", keyVaultSecretId: "https://ml-kv.vault.azure.net/secrets/hf", identity: "System" }] } },
        },
    },
    {
        type: "azure:containerapp/job:Job", path: "secrets[*].value", note: "Container Apps job secret",
        examples: {
            hit: { props: { secrets: [{ name: "hf", value: "myvalue" }] }, path: "secrets[0].value" },
            miss: { props: { secrets: [{ name: "hf", identity: "System" }] } },
        },
    },
    {
        type: "azure:containerservice/group:Group", path: "containers[*].secureEnvironmentVariables.*", note: "container instance secure environment variables",
        examples: {
            hit: { props: { containers: [{ name: "app", secureEnvironmentVariables: { MODE: "myvalue" } }] }, path: "containers[0].secureEnvironmentVariables.MODE" },
            miss: { props: { containers: [{ name: "app", environmentVariables: { MODE: "myvalue" } }] } },
        },
    },
    {
        type: "azure:appservice/linuxWebApp:LinuxWebApp", path: "connectionStrings[*].value", note: "App Service connection string",
        examples: {
            hit: { props: { connectionStrings: [{ name: "Default", type: "SQLAzure", value: "myvalue" }] }, path: "connectionStrings[0].value" },
            miss: { props: { connectionStrings: [{ name: "Default", type: "SQLAzure" }], appSettings: { MODE: "myvalue" } } },
        },
    },
    {
        type: "azure:appservice/windowsWebApp:WindowsWebApp", path: "connectionStrings[*].value", note: "App Service connection string",
        examples: {
            hit: { props: { connectionStrings: [{ name: "Default", type: "SQLAzure", value: "myvalue" }] }, path: "connectionStrings[0].value" },
            miss: { props: { connectionStrings: [{ name: "Default", type: "SQLAzure" }], appSettings: { MODE: "myvalue" } } },
        },
    },
    // ---- HashiCorp Vault ------------------------------------------------------------------------------------------
    {
        type: "vault:kv/secretV2:SecretV2", path: "dataJson", note: "KV v2 secret data (every leaf of the JSON document)",
        examples: {
            hit: { props: { mount: "secret", name: "ml/hf", dataJson: JSON.stringify({ value: "myvalue" }) }, path: "dataJson{json}.value" },
            miss: { props: { mount: "secret", name: "ml/hf", dataJson: JSON.stringify({ username: "mladmin", url: "https://hf.co" }) } },
        },
    },
    {
        type: "vault:kv/secretV2:SecretV2", path: "dataJsonWo", note: "KV v2 secret data (write-only form)",
        examples: {
            hit: { props: { mount: "secret", name: "ml/hf", dataJsonWo: JSON.stringify({ value: "myvalue" }) }, path: "dataJsonWo{json}.value" },
            miss: { props: { mount: "secret", name: "ml/hf", dataJsonWo: JSON.stringify({ host: "db.internal" }) } },
        },
    },
    {
        type: "vault:kv/secret:Secret", path: "dataJson", note: "KV v1 secret data",
        examples: {
            hit: { props: { path: "kv/ml/hf", dataJson: JSON.stringify({ value: "myvalue" }) }, path: "dataJson{json}.value" },
            miss: { props: { path: "kv/ml/hf", dataJson: JSON.stringify({ dbname: "features" }) } },
        },
    },
    {
        type: "vault:generic/secret:Secret", path: "dataJson", note: "generic secret data",
        examples: {
            hit: { props: { path: "secret/ml/hf", dataJson: JSON.stringify({ nested: { value: "myvalue" } }) }, path: "dataJson{json}.nested.value" },
            miss: { props: { path: "secret/ml/hf", dataJson: JSON.stringify({ engine: "postgres", port: "5432" }) } },
        },
    },
];

/**
 * Keys whose head noun says the leaf describes what a secret is for, not the secret (the AWS database-secret JSON
 * shape: engine, host, username, dbname, port...). Inside a JSON document at a sink, such leaves are not sinks (the
 * key rules and credential formats still apply to them).
 */
const DESCRIPTOR_WORDS = new Set([
    "engine", "host", "hostname", "server", "port", "username", "user", "login", "dbname", "database", "db", "name",
    "region", "endpoint", "url", "uri", "email", "type", "kind", "id", "identifier", "arn", "tenant", "account",
    "project", "namespace", "path", "version", "description", "comment", "scheme", "protocol", "schema", "cluster",
    "instance", "masterarn",
]);

function isDescriptorKey(key: string): boolean {
    const t = keyTokens(key);
    return t.length > 0 && DESCRIPTOR_WORDS.has(t[t.length - 1]);
}

/** Keys that say "the stored value itself": `{ "value": ... }`, `{ "data": ... }`. */
const VALUE_KEY_WORDS = new Set(["value", "values", "data", "secret", "secrets", "content", "contents", "payload", "plaintext"]);

/** A lower-case slug, a number or a dotted/pathed identifier: `ml-platform`, `us-east-1`, `fs.internal`, `5432`. */
const IDENTIFIER_RE = /^[a-z0-9]{1,64}(?:[-_.:/@][a-z0-9]{1,64}){0,16}$/;

/**
 * A leaf of a JSON document held in a sink is a sink unless its key describes what the secret is for (username,
 * host, port...) or, under another key, its value reads like an identifier (`"repo": "ml-platform"`). Under a key
 * that names the stored value (`value`, `data`) any literal is a sink. Secret-bearing keys and credential formats
 * are reported by their own rules either way.
 */
function documentLeafIsSink(key: string | undefined, value: string): boolean {
    if (key === undefined) return true;
    const t = keyTokens(key);
    if (t.length > 0 && VALUE_KEY_WORDS.has(t[t.length - 1])) return true;
    if (isDescriptorKey(key)) return false;
    return !IDENTIFIER_RE.test(value.trim());
}

// ---- Name/value pairs ---------------------------------------------------------------------------------------------

/** Fields that name a pair (`{ name: "OPENAI_API_KEY", value: "..." }`, ECS/Cloud Run/Container Apps env, app settings). */
export const PAIR_NAME_KEYS: readonly string[] = ["name", "Name", "key", "Key"];
/** Fields that hold a pair's value. */
export const PAIR_VALUE_KEYS: ReadonlySet<string> = new Set(["value", "Value"]);
/**
 * A pair whose `type` says the value is the *name* of a stored secret, not the secret (CodeBuild environment
 * variables and CodePipeline's EnvironmentVariables JSON: `PARAMETER_STORE`, `SECRETS_MANAGER`).
 */
const PAIR_REFERENCE_TYPES: ReadonlySet<string> = new Set(["PARAMETER_STORE", "SECRETS_MANAGER"]);

type Container = { [key: string]: unknown };

function isObject(v: unknown): v is Container {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * The name a `{name|Name|key|Key, value|Value}` pair gives its value, so the name can stand for the leaf's key in the
 * secret-bearing-key test; null when the pair's `type` says the value refers to a stored secret; undefined when the
 * container is not such a pair.
 */
export function pairName(container: unknown, valueKey: string): string | null | undefined {
    if (!PAIR_VALUE_KEYS.has(valueKey) || !isObject(container)) return undefined;
    for (const k of PAIR_NAME_KEYS) {
        const n = container[k];
        if (typeof n === "string" && n.length > 0) {
            const t = container.type ?? container.Type;
            if (typeof t === "string" && PAIR_REFERENCE_TYPES.has(t)) return null;
            return n;
        }
    }
    return undefined;
}

// ---- Matching -----------------------------------------------------------------------------------------------------

const ANY_INDEX = Symbol("[*]");
const ANY_KEY = Symbol("*");
type PatternSeg = string | typeof ANY_INDEX | typeof ANY_KEY;

interface CompiledRow {
    row: SinkRow;
    segs: PatternSeg[];
}

/** `a.b[*].c.*` and `a{json}.b` into segments; JSON steps use wire.ts's JSON_MARK. */
export function compilePath(path: string): PatternSeg[] {
    const out: PatternSeg[] = [];
    const re = /\[\*\]|\{json\}|\.?(\*|[A-Za-z_$][\w$-]*)/g;
    let m: RegExpExecArray | null;
    let at = 0;
    while ((m = re.exec(path)) !== null) {
        if (m.index !== at) throw new Error(`bad sink path ${JSON.stringify(path)} at ${at}`);
        at = re.lastIndex;
        if (m[0] === "[*]") out.push(ANY_INDEX);
        else if (m[0] === "{json}") out.push(JSON_MARK);
        else out.push(m[1] === "*" ? ANY_KEY : m[1]);
    }
    if (at !== path.length || out.length === 0) throw new Error(`bad sink path ${JSON.stringify(path)}`);
    return out;
}

const BY_TYPE: ReadonlyMap<string, CompiledRow[]> = (() => {
    const m = new Map<string, CompiledRow[]>();
    for (const row of SECRET_SINKS) {
        const list = m.get(row.type) ?? [];
        list.push({ row, segs: compilePath(row.path) });
        m.set(row.type, list);
    }
    return m;
})();

/** Per type, the top-level properties its rows start at; null when a row starts with a wildcard. */
const ROOTS_BY_TYPE: ReadonlyMap<string, ReadonlySet<string> | null> = new Map(
    [...BY_TYPE].map(([type, rows]) => [type, rows.every((r) => typeof r.segs[0] === "string") ? new Set(rows.map((r) => r.segs[0] as string)) : null]),
);

/**
 * The test "can a leaf under top-level property `root` be at a sink?" for resources of type `type` (a cheap gate: a
 * Key Vault secret's `tags` never are); undefined when the type has no sink rows. Looked up once per resource.
 */
export function sinkRootTest(type: string): ((root: PathSeg | undefined) => boolean) | undefined {
    const roots = ROOTS_BY_TYPE.get(type);
    if (roots === undefined) return undefined;
    return roots === null ? () => true : (root) => typeof root === "string" && roots.has(root);
}

function segMatches(p: PatternSeg, s: PathSeg): boolean {
    if (p === ANY_INDEX) return typeof s === "number";
    if (p === ANY_KEY) return typeof s === "string" && s !== JSON_MARK;
    return p === s;
}

function conditionHolds(when: SinkCondition, container: unknown): boolean | undefined {
    if (!isObject(container)) return undefined;
    let v: unknown = unwrapSecret(container[when.sibling] as Wire).value;
    if (v === undefined || v === null) return false;
    if (isUnknown(v)) return undefined;
    if (v === "true" || v === "false") v = v === "true";
    if (typeof v !== typeof when.equals) return undefined;
    return v === when.equals;
}

/**
 * What the sink table says about the string leaf at `path` of a resource of type `type`:
 * - "sink": a secret store's value field (or a leaf of a JSON document held there, see documentLeafIsSink);
 * - "not-sink": a row's path matches but its condition is known to be false (an SSM `String` parameter's value, a
 *   named value with `secret: false`), so the field is declared not to hold a secret;
 * - undefined: no row applies (or its condition cannot be read, e.g. it is unknown in preview).
 * `key` is the leaf's nearest object key; `containerOf(n)` returns the value at path[0..n) (so containerOf(path.length - 1)
 * is the object holding the leaf).
 */
export function sinkAt(
    type: string,
    path: readonly PathSeg[],
    key: string | undefined,
    value: string,
    containerOf: (n: number) => unknown,
): "sink" | "not-sink" | undefined {
    const rows = BY_TYPE.get(type);
    if (!rows) return undefined;
    let verdict: "sink" | "not-sink" | undefined;
    for (const { row, segs } of rows) {
        if (path.length < segs.length) continue;
        let ok = true;
        for (let i = 0; i < segs.length && ok; i++) ok = segMatches(segs[i], path[i]);
        if (!ok) continue;
        if (path.length > segs.length) {
            // Inside a JSON document held in the sink's string: every leaf but descriptors.
            if (path[segs.length] !== JSON_MARK) continue;
            if (path.length > segs.length + 1 && !documentLeafIsSink(key, value)) continue;
        }
        if (row.when) {
            const holds = conditionHolds(row.when, containerOf(segs.length - 1));
            if (holds === false) {
                verdict ??= "not-sink";
                continue;
            }
            if (holds === undefined) continue;
        }
        return "sink";
    }
    return verdict;
}
