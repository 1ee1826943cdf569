// Secret-bearing key names ("kind (b)") and schema-secret inputs. Pure: no @pulumi imports.
import { SCHEMA_SECRET_INPUTS } from "./schema-secrets.generated";

/**
 * Splits a key into lowercase words across camelCase, PascalCase, ACRONYMCase, snake_case, kebab-case, dotted and
 * spaced forms: "administratorLoginPassword" -> [administrator, login, password], "X-Vault-Token" -> [x, vault,
 * token], "APIKey" -> [api, key], "AWS_SECRET_ACCESS_KEY" -> [aws, secret, access, key].
 */
const tokenCache = new Map<string, string[]>();
/** How many distinct key names (or type tokens) a per-key memo holds before it starts over. */
export const KEY_CACHE_MAX = 4096;

/** Splits a key into lower-case words. Memoised: key names repeat across every resource of a stack. */
export function keyTokens(key: string): string[] {
    let t = tokenCache.get(key);
    if (t === undefined) {
        t = splitKey(key);
        if (tokenCache.size >= KEY_CACHE_MAX) tokenCache.clear();
        tokenCache.set(key, t);
    }
    return t;
}

function splitKey(key: string): string[] {
    return key
        .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
        .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .filter((t) => t.length > 0);
}

/** Words that name a secret when they are the key's head noun (its last word). */
const SECRET_WORDS = new Set([
    "password", "passwords", "passwd", "pwd", "pass", "passphrase", "passcode",
    "secret", "secrets", "clientsecret",
    "token", "tokens", "accesstoken", "authtoken", "apitoken", "sastoken", "bearertoken", "jwt", "bearer",
    "apikey", "apikeys", "accesskey", "secretkey", "privatekey", "accountkey", "sharedkey", "masterkey", "signingkey",
    "connectionstring", "connstring", "connstr",
    "credential", "credentials", "creds",
    "authorization",
]);

/** Compound words (all-lowercase keys like "dbpassword") that end with a secret noun. */
const SECRET_ENDINGS = ["password", "passwd", "secret", "token", "apikey", "accesskey", "secretkey", "privatekey", "accountkey", "connectionstring", "credentials"];

/** Words that make "key"/"keys" a secret: apiKey, secretAccessKey, privateKey, accountKey, sharedKey... */
const KEY_QUALIFIERS = new Set([
    "api", "access", "secret", "private", "account", "shared", "master", "signing", "client", "subscription",
    "storage", "app", "application", "admin", "hmac", "webhook", "auth", "sas", "integration", "function", "functions",
    "routing", "license", "primary", "secondary", "encryption", "decryption", "session",
]);

/**
 * Trailing words that describe the form of the value, not what it is: secretString, passwordWo, privateKeyPem,
 * tokenValue. Stripped before looking at the head noun.
 */
const TRANSPARENT = new Set([
    "value", "values", "data", "string", "plaintext", "plain", "text", "raw", "b64", "base64", "wo", "pem", "pkcs8",
    "pkcs12", "pfx", "openssh", "der", "hex", "encoded", "binary", "content", "contents", "literal", "input", "override",
]);

/** Qualifiers that turn a "key" into public or reference material even with a secret qualifier before them. */
const PUBLIC_KEY_WORDS = new Set(["public", "pub", "kms", "vault"]);

function headIsSecret(t: string[], end: number): boolean {
    const last = t[end];
    if (SECRET_WORDS.has(last)) return true;
    if (last === "key" || last === "keys") {
        const prev = t[end - 1];
        if (prev === undefined || PUBLIC_KEY_WORDS.has(prev)) return false;
        return KEY_QUALIFIERS.has(prev) || SECRET_ENDINGS.some((e) => prev.endsWith(e)) || prev.endsWith("access");
    }
    if ((last === "string" || last === "str") && (t[end - 1] === "connection" || t[end - 1] === "conn")) return true;
    if (last.length > 8 && SECRET_ENDINGS.some((e) => last.endsWith(e))) return true;
    return false;
}

/**
 * .NET configuration keys name a section path with `__` (environment variables) or `:`: every entry of the
 * `ConnectionStrings` section is a connection string, whatever its own name (`ConnectionStrings__Default`,
 * `ConnectionStrings:Db`).
 */
function inSecretSection(key: string): boolean {
    if (key.indexOf("__") === -1 && key.indexOf(":") === -1) return false;
    const sections = key.split(/__|:/);
    for (let i = 0; i < sections.length - 1; i++) {
        const t = keyTokens(sections[i]);
        const n = t.length;
        if ((n >= 1 && t[n - 1] === "connectionstrings") || (n >= 2 && t[n - 2] === "connection" && t[n - 1] === "strings")) return true;
    }
    return false;
}

/** Longer key names are never secret-bearing (nor worth remembering). */
export const MAX_SECRET_KEY_LENGTH = 200;

/**
 * True when a property named `key` holds a secret (password, clientSecret, apiKey, connectionString,
 * secretAccessKey, sasToken, administratorLoginPassword, X-Vault-Token...). False for names that refer to a secret
 * or describe one: the head noun (last word) must be the secret itself, so secretId, kmsKeyId, secretArn,
 * secretName, tokenUrl, passwordLength, keySpec, keyType, secretVersion, passwordPolicy, tokenTtl,
 * secretRotation..., recoveryWindowInDays are not secret-bearing, nor are the `*Type` keys that hold enumeration
 * words (authorizationType, authType, tokenType). Entries of a .NET `ConnectionStrings` section
 * (`ConnectionStrings__Default`) are.
 */
export function isSecretBearingKey(key: string): boolean {
    if (typeof key !== "string" || key.length === 0 || key.length > MAX_SECRET_KEY_LENGTH) return false;
    if (inSecretSection(key)) return true;
    const t = keyTokens(key);
    for (let end = t.length - 1; end >= 0; end--) {
        if (headIsSecret(t, end)) return true;
        if (!TRANSPARENT.has(t[end])) return false;
    }
    return false;
}

/** The generated table, as a set of inputs per type token. */
const SCHEMA_SECRET_SETS: ReadonlyMap<string, ReadonlySet<string>> = new Map(
    Object.keys(SCHEMA_SECRET_INPUTS).map((t) => [t, new Set(SCHEMA_SECRET_INPUTS[t])]),
);

/** The inputs the provider schema marks secret for resource type `typeToken` (see isSchemaSecretInput). */
export function schemaSecretInputsOf(typeToken: string): ReadonlySet<string> | undefined {
    return SCHEMA_SECRET_SETS.get(typeToken);
}

/**
 * True when `property` is an input the provider schema marks secret for resource type `typeToken` (aws, gcp,
 * azure-native, vault, random resources, and providers as `pulumi:providers:<pkg>`). Generated table:
 * scripts/gen-schema-secrets.js.
 */
export function isSchemaSecretInput(typeToken: string, property: string): boolean {
    return schemaSecretInputsOf(typeToken)?.has(property) ?? false;
}

