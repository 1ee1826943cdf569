// no-secrets-in-plaintext-cloud-fields, the pure logic. A Pulumi secret is encrypted in the state, not in the cloud:
// placed in a Lambda environment variable, an ECS container `environment` entry, user data, instance metadata, an
// App Service setting or a tag, it sits in plain text for anyone who can read the resource's configuration.
//
// Which fields: the table in ./cloud-fields.ts. A value there is flagged when
//   - it is a Pulumi secret on the wire at that leaf (a secret wrapper; in preview a secret UNKNOWN is a secret too,
//     while an unknown that is not secret says nothing and is not reported), or
//   - it holds a secret config value (per-value provenance against the decrypted secret config), or
//   - it matches a credential format.
// References (ARNs, SSM names, Secret Manager names, Key Vault references, ...) are never flagged, and the table
// only reaches value fields: ECS `secrets[].valueFrom`, Container Apps `secretRef`, Cloud Run `secretKeyRef` and
// Container Instances `secureValue` are not in it.
//
// A container can be secret as a whole: a JSON document held in a string (ECS `containerDefinitions`) is secret when
// any value in it is, and SDKs that fill in defaults with `apply` (azure-native `template`, `siteConfig`) send the
// whole object as one secret. Such inherited secrecy does not say which entry is the secret, so entries are singled
// out by secret config provenance and credential formats, and when none is, the container is reported once.
import { findCredentialFormats, isReference } from "../detection";
import { configStrings, removeSources } from "../detection/provenance";
import { findings, Finding, notApplicable, Outcome, ResourceSubject, RuleContext, StackConfigView } from "../lib/rule";
import { formatPath, isPlainObject, isUnknown, JSON_MARK, PathSeg, unwrapSecret, Wire } from "../lib/wire";
import { AllowEntry, isAllowed } from "./no-hardcoded-secrets";
import { CLOUD_FIELDS, CloudField } from "./cloud-fields";

export interface CloudFieldsConfig {
    allowlist: AllowEntry[];
}

// ---------------------------------------------------------------------------------------------------------------
// Path patterns

export type PatternSeg = { key: string } | { any: "key" } | { any: "item" } | { decode: "json" | "base64" };

/** Parses a table path pattern (`containerDefinitions{json}[].environment[].value`, `tags.*`). Throws on bad syntax. */
export function parsePattern(p: string): PatternSeg[] {
    const out: PatternSeg[] = [];
    const re = /\{json\}|\{base64\}|\[\]|\.?\*|\.?([A-Za-z_$][\w$-]*)/y;
    let i = 0;
    while (i < p.length) {
        re.lastIndex = i;
        const m = re.exec(p);
        if (!m) throw new Error(`bad path pattern ${JSON.stringify(p)} at ${i}`);
        const t = m[0];
        if (t === "{json}") out.push({ decode: "json" });
        else if (t === "{base64}") out.push({ decode: "base64" });
        else if (t === "[]") out.push({ any: "item" });
        else if (t === "*" || t === ".*") out.push({ any: "key" });
        else out.push({ key: m[1] });
        i = re.lastIndex;
    }
    if (out.length === 0) throw new Error("empty path pattern");
    return out;
}

/** Strings longer than this are not decoded (JSON or base64); the same bound walkStrings uses for JSON. */
const MAX_DECODE_LENGTH = 4 * 1024 * 1024;

const BASE64_RE = /^[A-Za-z0-9+/\r\n]*={0,2}\s*$/;

function decodeBase64(s: string): string | undefined {
    if (s.length > MAX_DECODE_LENGTH || !BASE64_RE.test(s)) return undefined;
    const text = Buffer.from(s, "base64").toString("utf8");
    // Not text after all (binary, or plain text that happened to fit the alphabet): keep the original.
    // eslint-disable-next-line no-control-regex -- control characters are what this pattern finds
    return /[\u0000-\u0008\u000e-\u001f\ufffd]/.test(text) ? undefined : text;
}

/** One place a pattern reached. */
export type FieldHit =
    | {
        kind: "value";
        path: PathSeg[];
        value: string;
        /** The variable's name: its map key, or its `nameField` sibling. */
        name?: string;
        /** Secret-wrapped at the value itself: the value is the secret. */
        secret: boolean;
        /** Where an enclosing secret wrapper is, when there is one above the value (see the header). */
        within?: PathSeg[];
    }
    | { kind: "secret-unknown"; path: PathSeg[]; within?: PathSeg[] };

/**
 * Follows one pattern through wire-shaped props. A secret wrapper at a value makes that value secret; one on a
 * container (an object the SDK turned into one secret Output, a secret JSON document) is recorded as `within`: the
 * entries below it inherit the secrecy without each being the secret. Iterative: patterns are short.
 */
export function matchPattern(props: Wire, pattern: PatternSeg[], nameField?: string): FieldHit[] {
    const out: FieldHit[] = [];
    type Frame = { v: Wire | undefined; i: number; path: PathSeg[]; within?: PathSeg[]; name?: string; secretLeaf?: boolean };
    const stack: Frame[] = [{ v: props, i: 0, path: [] }];
    while (stack.length) {
        const f = stack.pop()!;
        const u = unwrapSecret(f.v);
        const here = u.secret || f.secretLeaf === true;
        const v = u.value;
        if (v === undefined || v === null) continue;
        if (isUnknown(v)) {
            // In preview a secret unknown is still a secret; an unknown that is not secret says nothing.
            if (here) out.push({ kind: "secret-unknown", path: f.path });
            else if (f.within) out.push({ kind: "secret-unknown", path: f.path, within: f.within });
            continue;
        }
        if (f.i === pattern.length) {
            if (typeof v === "string") out.push({ kind: "value", path: f.path, value: v, name: f.name, secret: here, within: f.within });
            continue;
        }
        const seg = pattern[f.i];
        // Below a secret container, entries inherit its secrecy: the outermost wrapper is the one reported.
        const within = f.within ?? (here ? f.path : undefined);
        const next = (val: Wire | undefined, path: PathSeg[], name = f.name) => stack.push({ v: val, i: f.i + 1, path, within, name });
        if ("key" in seg) {
            if (isPlainObject(v) && Object.prototype.hasOwnProperty.call(v, seg.key)) {
                // The value of a `[].value` entry is named by its sibling (`{ name, value }`).
                const name = nameField && f.i === pattern.length - 1 ? nameOf(v[nameField]) : f.name;
                next(v[seg.key], [...f.path, seg.key], name);
            }
        } else if ("any" in seg) {
            if (seg.any === "key" && isPlainObject(v)) {
                for (const k of Object.keys(v).reverse()) next(v[k], [...f.path, k], k);
            } else if (seg.any === "item" && Array.isArray(v)) {
                for (let j = v.length - 1; j >= 0; j--) next(v[j], [...f.path, j]);
            }
        } else if (typeof v === "string" && v.length <= MAX_DECODE_LENGTH) {
            if (seg.decode === "json") {
                let parsed: Wire | undefined;
                try {
                    parsed = JSON.parse(v) as Wire;
                } catch {
                    parsed = undefined;
                }
                if (parsed !== undefined && typeof parsed === "object" && parsed !== null) next(parsed, [...f.path, JSON_MARK]);
            } else {
                // The decoded text is the same field: same path, and secret if the encoded string was.
                const text = decodeBase64(v);
                stack.push({ v: text ?? v, i: f.i + 1, path: f.path, within: f.within, name: f.name, secretLeaf: here });
            }
        }
    }
    return out;
}

function nameOf(v: Wire | undefined): string | undefined {
    const u = unwrapSecret(v).value;
    return typeof u === "string" && u.length > 0 && !isUnknown(u) ? u : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// The table, indexed by type

interface CompiledField {
    row: CloudField;
    patterns: { text: string; segs: PatternSeg[] }[];
}

function compile(rows: readonly CloudField[]) {
    const exact = new Map<string, CompiledField[]>();
    const prefixes: { prefix: string; field: CompiledField }[] = [];
    for (const row of rows) {
        const field = { row, patterns: row.paths.map((text) => ({ text, segs: parsePattern(text) })) };
        for (const t of row.types) {
            if (t.endsWith(":*")) prefixes.push({ prefix: t.slice(0, -1), field });
            else exact.set(t, [...(exact.get(t) ?? []), field]);
        }
    }
    return { exact, prefixes };
}

const INDEX = compile(CLOUD_FIELDS);

function compiledFor(type: string): CompiledField[] {
    const out = [...(INDEX.exact.get(type) ?? [])];
    for (const p of INDEX.prefixes) if (type.startsWith(p.prefix)) out.push(p.field);
    return out;
}

// ---------------------------------------------------------------------------------------------------------------
// The rule

const secretConfigCache = new WeakMap<StackConfigView, Map<string, string[]>>();

/** Secret config strings (JSON leaves included) -> their keys, once per config view. */
function secretConfig(view: StackConfigView): Map<string, string[]> {
    if (!view.available) return new Map();
    let v = secretConfigCache.get(view);
    if (!v) {
        v = configStrings(view, true);
        secretConfigCache.set(view, v);
    }
    return v;
}

/** Why a value in a plaintext field (not empty, not a reference) is a secret, or undefined when nothing says so. */
function reasonFor(value: string, name: string | undefined, secretWire: boolean, cfg: Map<string, string[]>): string | undefined {
    const reasons: string[] = [];
    if (secretWire) reasons.push("is a Pulumi secret");
    if (cfg.size > 0) {
        const used = removeSources(value, cfg.keys()).used;
        const keys = [...new Set(used.flatMap((u) => cfg.get(u) ?? []))];
        if (keys.length > 0) reasons.push(`holds secret config ${keys.slice(0, 3).map((k) => `'${k}'`).join(", ")}`);
    }
    const hits = findCredentialFormats(value, { key: name });
    if (hits.length > 0) reasons.push(`matches a credential format (${[...new Set(hits.map((h) => h.detector))].join(", ")})`);
    return reasons.length ? reasons.join(" and ") : undefined;
}

/** The part of a path pattern below a concrete container path, for messages: `containers[].env[].value`. */
function rel(pattern: string, container: PathSeg[]): string {
    const segs = parsePattern(pattern);
    let i = 0;
    for (const seg of container) {
        if (seg === JSON_MARK) continue;
        // Skip one pattern segment per concrete one (decode steps have no concrete segment of their own).
        while (i < segs.length && "decode" in segs[i]) i++;
        i++;
    }
    const rest = segs.slice(i).map((seg) => ("key" in seg ? `.${seg.key}` : "any" in seg ? (seg.any === "item" ? "[]" : ".*") : `{${seg.decode}}`)).join("");
    return "`" + rest.replace(/^\{json\}/, "").replace(/^\./, "") + "`";
}

/** Names (env var names, tag keys) are not secrets, but a hostile one must not make a message unreadable. */
function shortName(name: string): string {
    return JSON.stringify(name.length > 64 ? name.slice(0, 61) + "..." : name);
}

export function message(subject: { type: string; name: string }, row: CloudField, path: PathSeg[], why: string, name?: string): string {
    const named = name !== undefined && !String(path[path.length - 1] ?? "").includes(name) ? ` (${shortName(name)})` : "";
    return `${subject.type} '${subject.name}' property ${formatPath(path)}${named} ${why}, but this field (${row.what}) ` +
        "is stored and shown by the cloud in plaintext to anyone who can read the resource's configuration " +
        `(a Pulumi secret is encrypted in the Pulumi state only). Instead, ${row.instead}.`;
}

export function checkCloudFields(subject: ResourceSubject, config: CloudFieldsConfig, ctx: RuleContext): Outcome {
    const fields = compiledFor(subject.type);
    if (fields.length === 0) return notApplicable(`${subject.type} has no field that the cloud shows in plaintext in this policy's table`);
    const cfg = secretConfig(ctx.stackConfig);
    const allow = config.allowlist ?? [];
    const out: Finding[] = [];
    const seen = new Set<string>();
    const report = (row: CloudField, path: PathSeg[], why: string, name?: string) => {
        const where = formatPath(path);
        if (seen.has(where) || isAllowed(allow, subject.urn, where)) return;
        seen.add(where);
        out.push({ message: message(subject, row, path, why, name) });
    };
    // Secret containers whose entries neither provenance nor formats could single out (over every pattern of the
    // resource, since patterns may share a container): reported once, as a whole.
    const containers = new Map<string, { path: PathSeg[]; singledOut: boolean; row: CloudField; pattern: string }>();
    for (const { row, patterns } of fields) {
        for (const p of patterns) {
            const inContainer = (within: PathSeg[], singledOut: boolean) => {
                const key = formatPath(within);
                const c = containers.get(key) ?? { path: within, singledOut: false, row, pattern: p.text };
                c.singledOut ||= singledOut;
                containers.set(key, c);
            };
            for (const hit of matchPattern(subject.props, p.segs, row.nameField)) {
                if (hit.kind === "secret-unknown") {
                    if (hit.within) inContainer(hit.within, false);
                    else report(row, hit.path, "is a Pulumi secret (unknown until the deployment)");
                    continue;
                }
                if (hit.value.trim().length === 0 || isReference(hit.value)) continue;
                const why = reasonFor(hit.value, hit.name, hit.secret, cfg);
                if (hit.within) inContainer(hit.within, why !== undefined);
                if (why) report(row, hit.path, why, hit.name);
            }
        }
    }
    for (const c of containers.values()) {
        if (c.singledOut) continue;
        report(c.row, c.path, `is a Pulumi secret as a whole, so one of its ${rel(c.pattern, c.path)} entries holds a secret ` +
            "(none could be singled out: no entry holds secret config or a credential format; if the secret is " +
            "elsewhere in it, allowlist this path)");
    }
    return findings(...out);
}
