// Scans one resource's props for secret material: credential formats anywhere (kind a), and non-empty literals at
// secret-bearing keys (kind b), inside JSON documents held in strings too. Pure.
import { PathSeg, Wire, walkStrings } from "../lib/wire";
import { findCredentialFormats, MIN_FORMAT_LENGTH } from "./formats";
import { isSchemaSecretInput, isSecretBearingKey } from "./keys";
import { isPlaceholder } from "./placeholders";
import { isReference } from "./references";

export interface Candidate {
    path: PathSeg[];
    detector: string;
    label: string;
    kind: "format" | "key";
    /** The whole string leaf. Held for provenance checks only: never printed. */
    value: string;
    /** The part that matched (kind a) or the whole value (kind b). Never printed unredacted. */
    match: string;
}

export interface ScanOptions {
    disabled?: ReadonlySet<string>;
    extra?: { id: string; re: RegExp }[];
    /** Called for each container the walk does not enter because it is nested too deep (see walkStrings). */
    onTruncated?: (path: PathSeg[]) => void;
}

/** Detectors that recognise a whole JSON document, so they run on strings holding JSON, not only on its leaves. */
const WHOLE_DOCUMENT_DETECTORS: ReadonlyArray<{ id: string; anchor: string }> = [{ id: "gcp-service-account-key", anchor: "service_account" }];

export const KEY_DETECTORS = [
    { id: "secret-key-name", label: "literal at a secret-bearing key", description: "A non-empty literal assigned to a key named like a secret (password, token, apiKey, clientSecret, connectionString, ...)." },
    { id: "schema-secret-input", label: "literal in a provider secret field", description: "A non-empty literal in an input the provider schema marks secret (e.g. vault provider token, RDS password)." },
    { id: "placeholder", label: "committed placeholder", description: "A placeholder such as your-vault-token, changeme or <value> committed at a secret-bearing key." },
] as const;

/** Containers whose entries name permissions (`permissions.secrets: ["get", "list"]`), not secrets. */
const PERMISSION_CONTAINERS = new Set(["permissions", "actions", "notactions", "dataactions", "notdataactions", "capabilities", "scopes", "privileges", "grants"]);

function underPermissions(path: readonly (string | number)[]): boolean {
    return path.some((seg) => typeof seg === "string" && PERMISSION_CONTAINERS.has(seg.toLowerCase()));
}

export function scanProps(type: string, props: Wire, opts: ScanOptions = {}): Candidate[] {
    const disabled = opts.disabled ?? new Set<string>();
    const extra = opts.extra ?? [];
    const out: Candidate[] = [];
    walkStrings(props, (leaf) => {
        const value = leaf.value;
        if (value.length === 0) return;
        if (leaf.holdsJson) {
            // The document's own leaves are visited next; only whole-document formats are looked for here.
            for (const d of WHOLE_DOCUMENT_DETECTORS) {
                if (disabled.has(d.id) || value.indexOf(d.anchor) === -1) continue;
                for (const h of findCredentialFormats(value, { disabled })) {
                    if (h.detector === d.id) out.push({ path: leaf.path, detector: h.detector, label: h.label, kind: "format", value, match: value.slice(h.start, h.end) });
                }
            }
            return;
        }
        // No built-in credential format is shorter than MIN_FORMAT_LENGTH; user patterns may be.
        const scanFormats = value.length >= MIN_FORMAT_LENGTH || extra.length > 0;
        let reference: boolean | undefined;
        let formatHit = false;
        if (scanFormats) {
            // Detect first (a cheap gated scan that finds nothing in most strings); only a hit needs the reference test.
            const hits = findCredentialFormats(value, { disabled, extra, key: leaf.key });
            if (hits.length > 0) {
                reference = isReference(value);
                if (!reference) {
                    formatHit = true;
                    for (const h of hits) {
                        out.push({ path: leaf.path, detector: h.detector, label: h.label, kind: "format", value, match: value.slice(h.start, h.end) });
                    }
                }
            }
        }
        if (formatHit || leaf.key === undefined || value.trim().length === 0) return;
        const schemaSecret = !leaf.inJson && leaf.depth === 1 && isSchemaSecretInput(type, leaf.key);
        if (!schemaSecret && !isSecretBearingKey(leaf.key)) return;
        if (reference ?? isReference(value)) return;
        if (underPermissions(leaf.path)) return;
        const detector = isPlaceholder(value) ? "placeholder" : schemaSecret ? "schema-secret-input" : "secret-key-name";
        if (disabled.has(detector)) return;
        const meta = KEY_DETECTORS.find((d) => d.id === detector)!;
        out.push({ path: leaf.path, detector, label: meta.label, kind: "key", value, match: value });
    }, { onTruncated: opts.onTruncated });
    return out;
}
