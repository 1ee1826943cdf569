// References: values that point at a secret instead of being one. They are never flagged. Pure: no @pulumi imports.
//
// Every rule here is anchored on a structure a real secret does not have (a scheme, a fixed prefix, path segments
// made of words). A loose rule would hide real secrets, so the loose-looking ones (URLs, SSM names, Vault paths)
// additionally require that no credential format is found in the value.
import { findCredentialFormats } from "./formats";

const MAX_REFERENCE_LENGTH = 4096;

const ARN_RE = /^arn:aws[a-z-]{0,16}:[a-z0-9-]{1,64}:[a-z0-9-]{0,32}:(?:\d{12})?:\S{1,1900}$/;
/** AWS resource ids: i-0abc..., vpc-..., sg-..., subnet-..., ami-..., vol-..., snap-..., eni-..., key-... */
const AWS_ID_RE =
    /^(?:i|vpc|subnet|sg|ami|vol|snap|eni|igw|nat|rtb|acl|eipalloc|eipassoc|lt|pcx|tgw|tgw-attach|vpce|vgw|cgw|dopt|fs|fsap|db|cluster|key|kms|r|pl|ipam|eigw|elb|lb|tg|cert|hsm)-[0-9a-f]{8,17}$/;
const AZURE_ID_RE = /^\/subscriptions\/[0-9a-fA-F-]{36}(?:\/[A-Za-z0-9._()~-]{1,260}){0,40}\/?$/;
const KEY_VAULT_URI_RE =
    /^https:\/\/[a-z0-9-]{3,24}\.(?:vault\.azure\.net|vault\.azure\.cn|vault\.usgovcloudapi\.net|vault\.microsoftazure\.de|managedhsm\.azure\.net)(?::443)?(?:\/[A-Za-z0-9._-]{0,127}){0,4}\/?$/;
const KEY_VAULT_REF_RE = /^@Microsoft\.KeyVault\([^()]{1,1024}\)$/;
const GCP_NAME_RE =
    /^(?:\/\/[a-z0-9.-]{1,64}\.googleapis\.com\/)?projects\/[A-Za-z0-9._:-]{1,64}\/(?:secrets\/[A-Za-z0-9_-]{1,255}(?:\/versions\/(?:\d{1,10}|latest))?|locations\/[a-z0-9-]{1,64}\/(?:keyRings\/[A-Za-z0-9_-]{1,63}(?:\/cryptoKeys\/[A-Za-z0-9_-]{1,63}(?:\/cryptoKeyVersions\/\d{1,10})?)?|secrets\/[A-Za-z0-9_-]{1,255}(?:\/versions\/(?:\d{1,10}|latest))?))$/;
const VAULT_CIPHERTEXT_RE = /^vault:v\d{1,6}:[A-Za-z0-9+/=]{4,}$/;
const VAULT_PATH_RE =
    /^(?:vault:)?(?:secret|secrets|kv|kv-v1|kv-v2|kv2|database|aws|gcp|azure|pki|pki_int|transit|auth|sys|identity|ssh|totp|cubbyhole|consul|nomad|rabbitmq|ldap|kubernetes)\/[A-Za-z0-9_./-]{1,512}(?:#[A-Za-z0-9_.-]{1,128})?$/;
const TEMPLATE_REF_RE = /^(?:\$\{[^{}]{1,1024}\}|\{\{resolve:(?:secretsmanager|ssm-secure|ssm):[^{}]{1,1024}\}\}|\$\([^()]{1,1024}\)|#\{[^{}]{1,1024}\})$/;
const URL_RE = /^[a-z][a-z0-9+.-]{1,20}:\/\/[^\s@/?#]{1,255}(?:[/?#][^\s]{0,2048})?$/i;
const URL_SECRET_PARAM_RE = /[?&;#](?:sig|signature|token|access_token|id_token|code|key|api_key|apikey|password|pwd|secret|client_secret|x-amz-signature|x-goog-signature)=/i;
const SSM_NAME_RE = /^(?:\/[A-Za-z0-9_.-]{1,128}){1,15}$/;

function noFormats(s: string): boolean {
    return findCredentialFormats(s).length === 0;
}

/** One word of a name: lower, UPPER, Capitalised or camelCase words, optionally ending in a short number. */
const NAME_PART_RE = /^(?:[a-z]{1,32}|[A-Z]{1,16}|(?:[A-Z][a-z]{1,15}){1,6}|[a-z]{1,15}(?:[A-Z][a-z]{1,15}){1,5})[0-9]{0,4}$/;

/**
 * A path segment that reads like a name (prod, db-password, MyApp, v2, 2024) rather than random text: each
 * -/_/. separated part is a word or a number. Random base64 almost never has this shape.
 */
function nameSegment(seg: string): boolean {
    if (seg.length === 0 || seg.length > 128) return false;
    return seg.split(/[-_.]/).every((p) => p.length > 0 && (NAME_PART_RE.test(p) || /^[0-9]{1,10}$/.test(p)));
}

/** A path of name segments; `minSegments` guards the bare "/word" case. */
function namePath(t: string, minSegments: number): boolean {
    const segs = t.split("/").filter((x) => x.length > 0);
    return segs.length >= minSegments && segs.every(nameSegment);
}

/** A valueFrom / secretKeyRef / secretRef JSON that points at a secret by name. */
function isSecretRefJson(t: string): boolean {
    if (!t.startsWith("{") || !/"(?:valueFrom|secretKeyRef|secretRef|keyVaultReference|secretName)"/.test(t)) return false;
    try {
        const o = JSON.parse(t) as Record<string, unknown>;
        if (typeof o !== "object" || o === null || Array.isArray(o)) return false;
        const allowed = new Set(["name", "valueFrom", "secretKeyRef", "secretRef", "keyVaultReference", "secretName", "key", "optional", "identity", "keyVaultUrl"]);
        return Object.keys(o).every((k) => allowed.has(k)) && Object.keys(o).some((k) => k !== "name" && k !== "key");
    } catch {
        return false;
    }
}

/**
 * True for values that refer to a secret: ARNs, AWS resource ids, Azure resource ids, Key Vault URIs and
 * @Microsoft.KeyVault(...) references, GCP secret / KMS resource names, Vault paths and vault:vN: transit
 * ciphertext, ${...} / {{resolve:...}} / $(...) references, valueFrom/secretKeyRef JSON, URLs without credentials,
 * SSM parameter names.
 */
export function isReference(s: string): boolean {
    if (typeof s !== "string") return false;
    const t = s.trim();
    if (t.length < 3 || t.length > MAX_REFERENCE_LENGTH) return false;
    switch (t.charCodeAt(0)) {
        case 0x61 /* a */:
            if (t.startsWith("arn:")) return ARN_RE.test(t);
            break;
        case 0x40 /* @ */:
            return KEY_VAULT_REF_RE.test(t);
        case 0x24 /* $ */:
        case 0x23 /* # */:
            return TEMPLATE_REF_RE.test(t);
        case 0x7b /* { */:
            return TEMPLATE_REF_RE.test(t) || isSecretRefJson(t);
        case 0x2f /* / */:
            if (t.startsWith("/subscriptions/")) return AZURE_ID_RE.test(t);
            if (t.startsWith("//")) return GCP_NAME_RE.test(t);
            // One segment is enough when it has a separator ("/openai-api-key"); otherwise two ("/ml/token").
            return SSM_NAME_RE.test(t) && namePath(t, /[-_.]/.test(t) ? 1 : 2) && noFormats(t);
    }
    if (t.startsWith("projects/")) return GCP_NAME_RE.test(t);
    if (t.startsWith("vault:v")) return VAULT_CIPHERTEXT_RE.test(t);
    if (AWS_ID_RE.test(t)) return true;
    if (t.includes("://")) {
        if (KEY_VAULT_URI_RE.test(t)) return true;
        // URL_RE forbids "@" in the authority, so there is no userinfo; secret query parameters disqualify.
        return URL_RE.test(t) && !URL_SECRET_PARAM_RE.test(t) && noFormats(t);
    }
    if (VAULT_PATH_RE.test(t)) return namePath(t.replace(/^vault:/, "").replace("#", "/"), 2) && noFormats(t);
    return false;
}
