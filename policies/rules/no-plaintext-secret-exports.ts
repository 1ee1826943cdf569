// no-plaintext-secret-exports, the pure logic: stack outputs (the root stack's props in AnalyzeStack) that carry
// secret material without being Pulumi secrets on the wire.
import { findCredentialFormats, isReference, isSecretBearingKey, redact } from "../detection";
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

/** Does the export's name say it holds a secret? `api_key_secret_arn` does not: it names a reference. */
export function nameSaysSecret(name: string): boolean {
    if (isSecretBearingKey(name)) return true;
    if (!PLAINTEXT_WORDS.test(name)) return false;
    // Names that describe a pointer to a secret, not the secret.
    return !/(?:^|[-_ ])?(?:arn|id|ids|name|uri|url|path|version)$/i.test(name.replace(/([a-z])([A-Z])/g, "$1_$2"));
}

function credentialConfig(cfg: StackConfigView): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const [value, keys] of configStrings(cfg)) {
        if (findCredentialFormats(value).length > 0) out.set(value, keys);
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
            if (!reference) {
                const hits = findCredentialFormats(v);
                if (hits.length) reasons.push(`it matches a credential format (${[...new Set(hits.map((h) => h.detector))].join(", ")})`);
                const named = [name, ...(leaf.key && leaf.key !== name ? [leaf.key] : [])].find(nameSaysSecret);
                if (named && !hits.length) reasons.push(`its name '${named}' says it is secret`);
            }
            if (reasons.length === 0) return;
            const where = leaf.path.length ? `stack export '${name}' at ${formatPath(leaf.path)}` : `stack export '${name}'`;
            out.push({
                urn: root.urn,
                message: `${where} is not a Pulumi secret, but ${reasons.join("; ")}: ${redact(v)}. ` +
                    "Exports are stored and shown in plaintext: wrap the value in pulumi.secret(...) or stop exporting it.",
            });
        });
    }
    return out;
}
