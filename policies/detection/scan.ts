// Scans one resource's props for secret material: credential formats anywhere (kind a), and non-empty literals at
// secret-bearing keys or in secret stores' value fields (kind b), inside JSON documents held in strings too. Pure.
import { isPlainObject, JSON_MARK, PathSeg, StringLeaf, unwrapSecret, Wire, walkStrings } from "../lib/wire";
import { FindOptions, findCredentialFormats, MIN_FORMAT_LENGTH } from "./formats";
import { isSecretBearingKey, KEY_CACHE_MAX, MAX_SECRET_KEY_LENGTH, schemaSecretInputsOf } from "./keys";
import { isMaskedSecret } from "./masked";
import { isGuid, isPlaceholder, isSettingValue } from "./placeholders";
import { isReference } from "./references";
import { pairName, PAIR_VALUE_KEYS, sinkAt, sinkRootTest } from "./sinks";
import { isStringifiedOutput } from "./stringified-output";

export interface Candidate {
    path: PathSeg[];
    detector: string;
    label: string;
    kind: "format" | "key";
    /** The whole string leaf. Held for provenance checks only: never printed. */
    value: string;
    /** The part that matched (kind a) or the whole value (kind b). Never printed unredacted. */
    match: string;
    /** The leaf was a Pulumi secret on the wire (at its level or above). */
    secret: boolean;
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
    { id: "secret-sink", label: "literal in a secret store's value field", description: "Any non-empty literal in the value field of a resource whose job is to hold a secret (Key Vault secret `properties.value`, Container Apps `configuration.secrets[].value`, Vault KV `dataJson` leaves, SSM SecureString `value`, ...): see policies/detection/sinks.ts." },
    { id: "placeholder", label: "committed placeholder", description: "A placeholder such as your-vault-token, changeme or <value> committed at a secret-bearing key or in a secret store's value field." },
] as const;

/** Containers whose entries name permissions (`permissions.secrets: ["get", "list"]`), not secrets. */
const PERMISSION_CONTAINERS = new Set(["permissions", "actions", "notactions", "dataactions", "notdataactions", "capabilities", "scopes", "privileges", "grants"]);

/**
 * A leaf that names a permission: at most two steps below a permission container (`permissions.secrets[0]`,
 * `actions[1]`), not inside JSON held there. Deeper leaves are configuration, not permission names (CodePipeline
 * `stages[].actions[].configuration.EnvironmentVariables`).
 */
function underPermissions(path: readonly (string | number)[]): boolean {
    for (let i = Math.max(0, path.length - 3); i < path.length - 1; i++) {
        const seg = path[i];
        if (typeof seg === "string" && PERMISSION_CONTAINERS.has(seg.toLowerCase())) return !path.slice(i + 1).includes(JSON_MARK);
    }
    return false;
}

export type KeyDetectorId = (typeof KEY_DETECTORS)[number]["id"];

/**
 * The value at path[0..n) of `root`, through secret wrappers and into JSON documents held in strings (JSON_MARK
 * steps; each document parsed once per scan through `parsed`). Undefined when the path does not lead anywhere.
 */
function valueAt(root: Wire, path: readonly PathSeg[], n: number, parsed: Map<string, unknown>): unknown {
    let cur: unknown = root;
    for (let i = 0; i < n; i++) {
        cur = unwrapSecret(cur as Wire).value;
        const seg = path[i];
        if (seg === JSON_MARK) {
            if (typeof cur !== "string") return undefined;
            let doc = parsed.get(cur);
            if (doc === undefined && !parsed.has(cur)) {
                try {
                    doc = JSON.parse(cur);
                } catch {
                    doc = undefined;
                }
                parsed.set(cur, doc);
            }
            cur = doc;
        } else if (typeof seg === "number") {
            if (!Array.isArray(cur)) return undefined;
            cur = cur[seg];
        } else {
            if (!isPlainObject(cur) || !Object.prototype.hasOwnProperty.call(cur, seg)) return undefined;
            cur = cur[seg];
        }
    }
    return unwrapSecret(cur as Wire).value;
}

/** What a key's name alone says about the key rules, memoised per key string (keys repeat across a stack). */
const NAME_SECRET = 1;
const NAME_PAIR_VALUE = 2;
const keyRuleCache = new Map<string, number>();

function keyRules(key: string): number {
    let r = keyRuleCache.get(key);
    if (r === undefined) {
        r = (isSecretBearingKey(key) ? NAME_SECRET : 0) | (PAIR_VALUE_KEYS.has(key) ? NAME_PAIR_VALUE : 0);
        if (key.length > MAX_SECRET_KEY_LENGTH) return r; // a hostile 1 MB key name is not kept
        if (keyRuleCache.size >= KEY_CACHE_MAX) keyRuleCache.clear();
        keyRuleCache.set(key, r);
    }
    return r;
}

const NO_DISABLED: ReadonlySet<string> = new Set();

/** What a resource type says about the key rules: its sink roots and schema-secret inputs, looked up once per type. */
interface TypeRules {
    sinkRoot: ((root: PathSeg | undefined) => boolean) | undefined;
    schemaInputs: ReadonlySet<string> | undefined;
}
const typeRuleCache = new Map<string, TypeRules>();

function typeRules(type: string): TypeRules {
    let r = typeRuleCache.get(type);
    if (r === undefined) {
        r = { sinkRoot: sinkRootTest(type), schemaInputs: schemaSecretInputsOf(type) };
        if (typeRuleCache.size >= KEY_CACHE_MAX) typeRuleCache.clear();
        typeRuleCache.set(type, r);
    }
    return r;
}

export function scanProps(type: string, props: Wire, opts: ScanOptions = {}): Candidate[] {
    const disabled = opts.disabled ?? NO_DISABLED;
    const extra = opts.extra ?? [];
    const out: Candidate[] = [];
    const forType = typeRules(type);
    const sinkRoot = disabled.has("secret-sink") ? undefined : forType.sinkRoot;
    // No built-in credential format is shorter than MIN_FORMAT_LENGTH; user patterns may be.
    const minFormatLength = extra.length > 0 ? 1 : MIN_FORMAT_LENGTH;
    // One options object for every leaf's format scan (only the key changes).
    const find: FindOptions = { disabled, extra, key: undefined };
    // Containers of the current leaf (pairs and sink conditions look at siblings): the one holding it comes from the
    // walk; one further up is read from the root on demand, JSON documents on the way parsed once per scan.
    let parsed: Map<string, unknown> | undefined;
    /** The leaf being judged by the key rules. */
    let current: StringLeaf | undefined;
    const containerOf = (n: number): unknown => (n === current!.depth - 1 ? current!.holder : valueAt(props, current!.path, n, (parsed ??= new Map())));
    const schemaInputs = forType.schemaInputs;
    walkStrings(props, (leaf) => {
        const value = leaf.value;
        if (value.length === 0) return;
        if (leaf.holdsJson) {
            // The document's own leaves are visited next; only whole-document formats are looked for here.
            for (const d of WHOLE_DOCUMENT_DETECTORS) {
                if (disabled.has(d.id) || value.indexOf(d.anchor) === -1 || isStringifiedOutput(value)) continue;
                for (const h of findCredentialFormats(value, { disabled })) {
                    if (h.detector === d.id) out.push({ path: leaf.path, detector: h.detector, label: h.label, kind: "format", value, match: value.slice(h.start, h.end), secret: leaf.secret });
                }
            }
            return;
        }
        const key = leaf.key;
        if (value.length >= minFormatLength) {
            // Detect first: a gated scan that finds nothing in most strings. Only a hit needs the other tests.
            find.key = key;
            const hits = findCredentialFormats(value, find);
            if (hits.length > 0) {
                // Pulumi's Output-stringified warning text (no-stringified-outputs reports it), or a value that refers
                // to a secret (an ARN, a Key Vault reference, a `{{resolve:...}}`): no finding, from the key rules either.
                if (isStringifiedOutput(value) || isReference(value)) return;
                for (const h of hits) {
                    out.push({ path: leaf.path, detector: h.detector, label: h.label, kind: "format", value, match: value.slice(h.start, h.end), secret: leaf.secret });
                }
                return;
            }
        }
        if (key === undefined) return;
        // The key rules apply only at a secret-bearing key (or a pair's value), a schema-secret input or in a sink
        // type's leaves: every other leaf stops here, after one memoised lookup.
        const rules = keyRules(key);
        const topLevel = !leaf.inJson && leaf.depth === 1;
        const sinkHere = sinkRoot !== undefined && sinkRoot(leaf.root);
        const schemaInput = topLevel && schemaInputs !== undefined && schemaInputs.has(key);
        if (rules === 0 && !sinkHere && !schemaInput) return;
        current = leaf;
        // A `{name, value}` pair: the name stands for the value's key (`{ name: "OPENAI_API_KEY", value: "..." }`).
        // A pair typed PARAMETER_STORE / SECRETS_MANAGER holds the name of a stored secret (null: no key test).
        let secretKey = (rules & NAME_SECRET) !== 0;
        if ((rules & NAME_PAIR_VALUE) !== 0) {
            const pair = pairName(containerOf(leaf.depth - 1), key);
            if (pair !== undefined) secretKey = pair !== null && (keyRules(pair) & NAME_SECRET) !== 0;
        }
        // Where the leaf sits is judged before what it holds: most pairs' names are not secret.
        if (!secretKey && !schemaInput && !sinkHere) return;
        if (value.trim().length === 0) return;
        // `[secret]` and `********` stand where a secret was hidden: never a finding.
        if (isMaskedSecret(value)) return;
        const sink = sinkHere ? sinkAt(type, leaf.path, key, value, containerOf) : undefined;
        const schemaSecret = sink !== "not-sink" && schemaInput;
        if (sink !== "sink" && !schemaSecret && !secretKey) return;
        if (isReference(value) || isStringifiedOutput(value)) return;
        if (underPermissions(leaf.path)) return;
        let detector: KeyDetectorId;
        if (isPlaceholder(value)) detector = "placeholder";
        else if (sink === "sink") detector = "secret-sink";
        // A mode, not a secret: `authorization: "NONE"`, `AWS_IAM`, `httpTokens: "required"`, `skipChildToken: "true"`.
        else if (isSettingValue(value)) return;
        // An identifier the provider schema marks secret (the azure-native provider's `clientId` GUID), at a key that
        // does not name a secret.
        else if (schemaSecret && !secretKey && isGuid(value)) return;
        else detector = schemaSecret ? "schema-secret-input" : "secret-key-name";
        if (disabled.has(detector)) return;
        const meta = KEY_DETECTORS.find((d) => d.id === detector)!;
        out.push({ path: leaf.path, detector, label: meta.label, kind: "key", value, match: value, secret: leaf.secret });
    }, { onTruncated: opts.onTruncated });
    return out;
}
