// no-plaintext-secret-exports, the pure logic: stack outputs (the root stack's props in AnalyzeStack) that carry
// secret material without being Pulumi secrets on the wire.
import { findCredentialFormats, isMaskedSecret, isReference, isSecretBearingKey, isStringifiedOutput, redact } from "../detection";
import { keyTokens } from "../detection/keys";
import { configStrings } from "../detection/provenance";
import { Finding, StackConfigView, StackSubject } from "../lib/rule";
import { formatPath, isUnknown, unwrapSecret, walkStrings } from "../lib/wire";

export interface ExportsConfig {
    /** Export names (top-level) that may be exported in plaintext, each a deliberate decision. */
    allowExports: string[];
}

/** Config values shorter than this only count when an export equals them. */
export const MIN_CONTAINED_SECRET = 4;

const PLAINTEXT_WORDS = /plain[-_ ]?text|decrypted|credential/i;

/** Head nouns that, after a secret's own name, name the resource that stores it: `hfTokenSecret`, `dbPasswordSecret`. */
const STORE_WORDS = new Set(["secret", "secrets"]);

/**
 * Does the export's name say it holds a secret? Names of a pointer to a secret do not: `api_key_secret_arn`,
 * `dbPasswordSecretId`, `tokenSecretName`; nor does the name of the store resource itself, a secret's name followed
 * by `Secret` (`hfTokenSecret` is the Secrets Manager secret holding the HF token). `clientSecret`, `dbPassword`,
 * `apiKeyPlaintext` and `decryptedPlaintext` do.
 */
export function nameSaysSecret(name: string): boolean {
    if (isSecretBearingKey(name)) return !namesSecretStore(name);
    if (!PLAINTEXT_WORDS.test(name)) return false;
    // Names that describe a pointer to a secret, not the secret.
    return !/(?:^|[-_ ])?(?:arn|id|ids|name|uri|url|path|version)$/i.test(name.replace(/([a-z])([A-Z])/g, "$1_$2"));
}

/** Words before `Secret` that make a signing secret, not a store: `jwtSecret` signs JWTs. */
const SIGNING_QUALIFIERS = new Set(["jwt"]);

/** `<secret name> Secret`: the last word is secret(s) and the words before it already name a secret. */
function namesSecretStore(name: string): boolean {
    const t = keyTokens(name);
    if (t.length < 2 || !STORE_WORDS.has(t[t.length - 1]) || SIGNING_QUALIFIERS.has(t[t.length - 2])) return false;
    return isSecretBearingKey(t.slice(0, -1).join("_"));
}

/** Format detectors whose match is an identifier, not a secret: on its own it is at most advisory. */
const IDENTIFIER_ONLY_DETECTORS = new Set(["aws-access-key-id"]);

function credentialConfig(cfg: StackConfigView): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const [value, keys] of configStrings(cfg)) {
        // An access key id alone in config is the identifier half: exporting it is judged by its format (advisory).
        if (findCredentialFormats(value).some((h) => !IDENTIFIER_ONLY_DETECTORS.has(h.detector))) out.set(value, keys);
    }
    return out;
}

export function checkExports(resources: StackSubject[], config: ExportsConfig, cfg: StackConfigView): Finding[] {
    const root = resources.find((r) => r.type === "pulumi:pulumi:Stack" && !r.parent);
    if (!root) return [];
    const secretValues = cfg.available ? configStrings(cfg, true) : new Map<string, string[]>();
    const credentialValues = cfg.available ? credentialConfig(cfg) : new Map<string, string[]>();
    const allow = new Set(config.allowExports ?? []);
    const out: Finding[] = [];
    for (const name of Object.keys(root.props)) {
        if (allow.has(name)) continue;
        const top = unwrapSecret(root.props[name]);
        if (!top.secret && isUnknown(top.value) && nameSaysSecret(name)) {
            // The value is not known until the update, but whether it is a secret is: the finding does not depend
            // on the unknown part, so it is reported in preview too.
            out.push({
                urn: root.urn,
                message: `stack export '${name}' will be exported in plaintext: it is not a Pulumi secret, and its name says it ` +
                    "holds a secret (its value is known only after the update). Wrap the value in pulumi.secret(...) or stop exporting it.",
            });
            continue;
        }
        walkStrings(root.props[name], (leaf) => {
            if (leaf.secret || leaf.value.length === 0 || leaf.holdsJson) return;
            // A mask where a secret was hidden, or Pulumi's Output-stringified warning: no secret material.
            if (isMaskedSecret(leaf.value) || isStringifiedOutput(leaf.value)) return;
            const reasons: string[] = [];
            const v = leaf.value;
            const configHit = (values: Map<string, string[]>) => {
                const keys: string[] = [];
                for (const [cv, ks] of values) {
                    if (v === cv || (cv.length >= MIN_CONTAINED_SECRET && v.includes(cv))) keys.push(...ks);
                }
                return [...new Set(keys)];
            };
            const fromSecret = configHit(secretValues);
            if (fromSecret.length) reasons.push(`it carries secret config ${fromSecret.map((k) => `'${k}'`).join(", ")}`);
            const fromCredential = configHit(credentialValues).filter((k) => !fromSecret.includes(k));
            if (fromCredential.length) reasons.push(`it carries the credential in config ${fromCredential.map((k) => `'${k}'`).join(", ")}`);
            const reference = isReference(v);
            let identifierOnly = false;
            if (!reference) {
                const hits = findCredentialFormats(v);
                if (hits.length) reasons.push(`it matches a credential format (${[...new Set(hits.map((h) => h.detector))].join(", ")})`);
                const named = [name, ...(leaf.key && leaf.key !== name ? [leaf.key] : [])].find(nameSaysSecret);
                if (named && !hits.length) reasons.push(`its name '${named}' says it is secret`);
                identifierOnly = hits.length > 0 && hits.every((h) => IDENTIFIER_ONLY_DETECTORS.has(h.detector));
            }
            if (reasons.length === 0) return;
            const where = leaf.path.length ? `stack export '${name}' at ${formatPath(leaf.path)}` : `stack export '${name}'`;
            if (identifierOnly && reasons.length === 1) {
                // An access key id without its secret half cannot sign a request: worth hiding, not worth blocking.
                out.push({
                    urn: root.urn,
                    level: "advisory",
                    message: `${where} is an AWS access key id in plaintext: ${redact(v)}. It is the identifier half of an ` +
                        "access key pair, not a secret by itself, but it names the key to attackers: wrap it in pulumi.secret(...) or " +
                        "stop exporting it, and never export the secret access key in plaintext.",
                });
                return;
            }
            out.push({
                urn: root.urn,
                message: `${where} is not a Pulumi secret, but ${reasons.join("; ")}: ${redact(v)}. ` +
                    "Exports are stored and shown in plaintext: wrap the value in pulumi.secret(...) or stop exporting it.",
            });
        });
    }
    return out;
}
