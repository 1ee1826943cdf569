// no-plaintext-secret-config, the pure logic: stack config values that are secrets but were set without `--secret`,
// so Pulumi.<stack>.yaml (committed to git) holds them in plaintext. A config value is such a secret when it is not
// a secret key and:
//   1. it matches a credential format, used or not;                                   -> root stack, Analyze
//   2. it reaches a place only a secret belongs in: a scanProps candidate (secret-bearing key, schema-secret input,
//      secret sink, credential format) whose value the plaintext config explains      -> that resource, Analyze
//      or an export that no-plaintext-secret-exports flags                            -> AnalyzeStack
//   3. its key (or a `--path` leaf's key) says it is a secret and its value looks like one -> root stack, Analyze
// Criteria 1 and 3 need the config only: they are reported on the root stack, the first resource the engine analyses,
// so they block before anything changes. Criterion 2 is known only where the value goes. Each finding names the
// config key (and the property or export), never the value.
import { findCredentialFormats, isPlaceholder, isReference, isSecretBearingKey } from "../detection";
import { ConfigSources, configSourcesOf, MIN_CONTAINED_SOURCE, SecretText, sourcesOf } from "../detection/provenance";
import { Candidate, scanProps } from "../detection/scan";
import { checkExports } from "./no-plaintext-secret-exports";
import { Finding, findings, notApplicable, Outcome, ResourceSubject, RuleContext, StackConfigView, StackSubject } from "../lib/rule";
import { formatPath, isPlainObject, PathSeg, walkStrings, Wire } from "../lib/wire";

export const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

export interface ConfigAllowEntry {
    /** A config key as `pulumi config` names it (`dbPassword`, `aws:secretKey`, `db.password` for a `--path` leaf),
     *  or fully qualified (`myproject:dbPassword`). An entry for a key covers its `--path` leaves. */
    key?: string;
    reason?: string;
}

export interface PlaintextConfigConfig {
    allowlist: ConfigAllowEntry[];
}

/** One config key, or one leaf of a structured (`--path`) config value. */
export interface ConfigRef {
    /** Fully qualified key: `project:key`, `aws:secretKey`. */
    key: string;
    /** Path inside a structured value; empty for the whole key. */
    path: PathSeg[];
}

/** The project of a URN (`urn:pulumi:<stack>::<project>::...`), which `pulumi config` leaves off its own keys. */
export function projectOf(urn: string): string | undefined {
    const parts = urn.split("::");
    return parts.length >= 3 ? parts[1] : undefined;
}

/** The key as `pulumi config` takes it: no prefix in the project's own namespace. */
export function cliKey(key: string, project: string | undefined): string {
    return project !== undefined && key.startsWith(`${project}:`) ? key.slice(project.length + 1) : key;
}

/** `db`, `db.password`, `aws:assumeRole.roleArn`, `db.users[0].password`: the `--path` form. */
export function cliPath(ref: ConfigRef, project: string | undefined): string {
    const base = cliKey(ref.key, project);
    if (ref.path.length === 0) return base;
    const rest = formatPath(ref.path);
    return rest.startsWith("[") ? base + rest : `${base}.${rest}`;
}

function shellQuote(s: string): string {
    return /^[A-Za-z0-9_:.-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

/** The exact command that turns the value into secret config, keeping its value. */
export function fixCommand(ref: ConfigRef, project: string | undefined): string {
    const name = shellQuote(cliPath(ref, project));
    const path = ref.path.length > 0 ? " --path" : "";
    return `pulumi config set --secret${path} ${name} "$(pulumi config get${path} ${name})"`;
}

function remediation(refs: ConfigRef[], project: string | undefined): string {
    const cmds = refs.map((r) => `\`${fixCommand(r, project)}\``).join(", then ");
    return `Pulumi.<stack>.yaml holds it unencrypted, and that file is committed to git. Make it secret config: ${cmds} ` +
        "and read it with `config.requireSecret`, so it stays secret in state too. Then rotate the value: " +
        "the plaintext stays in git history.";
}

export function isAllowed(allowlist: ConfigAllowEntry[], ref: ConfigRef, project: string | undefined): boolean {
    const names = new Set<string>([ref.key, cliKey(ref.key, project)]);
    if (ref.path.length > 0) {
        names.add(cliPath(ref, project));
        names.add(cliPath(ref, undefined));
    }
    return allowlist.some((a) => typeof a.key === "string" && names.has(a.key));
}

/** Problems with the allowlist itself (reported once, on the root stack): an entry must name a key and say why. */
export function allowlistProblems(config: PlaintextConfigConfig): string[] {
    const out: string[] = [];
    (config.allowlist ?? []).forEach((a, i) => {
        if (!a || typeof a.key !== "string" || a.key.length === 0) {
            out.push(`invalid configuration for policy 'no-plaintext-secret-config': allowlist[${i}] names no key, so it allows nothing`);
        } else if (typeof a.reason !== "string" || a.reason.trim().length === 0) {
            out.push(`invalid configuration for policy 'no-plaintext-secret-config': allowlist[${i}] gives no reason; ` +
                "the entry is applied, but say why the value may stay in plaintext");
        }
    });
    return out;
}

const NUMBER_RE = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?$/i;
const BOOLEAN_RE = /^(?:true|false|yes|no|on|off)$/i;
/** Lower-case words joined by separators: `ml-api`, `prod/db-password`, `ml_api_key.v2`. A name, not a secret. */
const RESOURCE_NAME_RE = /^[a-z][a-z0-9]*(?:[-_./][a-z0-9]+)+$/;

/**
 * Does a value at a secret-named key look like a secret? Not when it is empty, a number, a boolean, a URL without
 * credentials or another reference (isReference), a resource name, or a placeholder left in (isPlaceholder).
 */
export function looksLikeSecret(value: string): boolean {
    const t = value.trim();
    if (t.length === 0) return false;
    if (NUMBER_RE.test(t) || BOOLEAN_RE.test(t)) return false;
    if (RESOURCE_NAME_RE.test(t)) return false;
    if (isPlaceholder(t) || isReference(t)) return false;
    return true;
}

function parseContainer(value: string): unknown {
    const t = value.trim();
    if (!((t.startsWith("{") && t.endsWith("}")) || (t.startsWith("[") && t.endsWith("]")))) return undefined;
    try {
        const v = JSON.parse(t);
        return v !== null && typeof v === "object" ? v : undefined;
    } catch {
        return undefined;
    }
}

function formatIds(value: string, key: string | undefined): string[] {
    const hits = findCredentialFormats(value, { key });
    if (hits.length === 0 || isReference(value)) return [];
    return [...new Set(hits.map((h) => h.detector))];
}

function reasonFor(formats: string[], named: boolean): string {
    const parts: string[] = [];
    if (formats.length) parts.push(`it matches a credential format (${formats.join(", ")})`);
    if (named) parts.push("its name says it holds a secret and its value looks like one");
    return parts.join(", and ");
}

/** The config key without its namespace: the name that says what it holds (`aws:secretKey` -> `secretKey`). */
function bareKey(key: string): string {
    const i = key.indexOf(":");
    return i >= 0 ? key.slice(i + 1) : key;
}

/** Can plaintext config be told from secret config? Only when the config is there and its secret keys are known. */
export function canJudge(cfg: StackConfigView): boolean {
    return cfg.available && cfg.secretKeysKnown !== false;
}

/** Criteria 1 and 3 on the whole config: one finding per plaintext secret config key. For the root stack. */
export function checkConfigValues(cfg: StackConfigView, config: PlaintextConfigConfig, root: { urn: string }): Finding[] {
    if (!canJudge(cfg)) return [];
    const project = projectOf(root.urn);
    const allow = config.allowlist ?? [];
    const out: Finding[] = [];
    for (const [key, value] of cfg.values) {
        if (cfg.secretKeys.has(key) || typeof value !== "string" || value.length === 0) continue;
        const name = bareKey(key);
        const keyRef: ConfigRef = { key, path: [] };
        if (isAllowed(allow, keyRef, project)) continue;
        const doc = parseContainer(value);
        // Leaves of a structured value (set with --path, or as a JSON string): each judged under its own key.
        const leaves: { ref: ConfigRef; reason: string }[] = [];
        let anyLeafLooksSecret = false;
        if (doc !== undefined) {
            walkStrings(doc as Wire, (leaf) => {
                if (leaf.holdsJson || leaf.value.length === 0) return;
                const looks = looksLikeSecret(leaf.value);
                anyLeafLooksSecret ||= looks;
                const leafKey = leaf.key ?? name;
                const formats = formatIds(leaf.value, leafKey);
                const named = isSecretBearingKey(leafKey) && looks;
                if (!formats.length && !named) return;
                const ref: ConfigRef = { key, path: leaf.path.slice() };
                if (isAllowed(allow, ref, project)) return;
                leaves.push({ ref, reason: reasonFor(formats, named) });
            }, { parseJson: false });
        }
        // The whole value: a format found in it (a service-account JSON, a token), or a secret-named key.
        const wholeFormats = formatIds(value, name);
        const wholeNamed = isSecretBearingKey(name) && (doc !== undefined ? anyLeafLooksSecret : looksLikeSecret(value));
        const shown = cliKey(key, project);
        if (wholeNamed || (wholeFormats.length > 0 && leaves.length === 0)) {
            out.push({
                urn: root.urn,
                message: `stack config '${shown}' is a secret in plaintext: ${reasonFor(wholeFormats, wholeNamed)}. ` +
                    remediation([keyRef], project),
            });
        } else if (leaves.length > 0) {
            const where = leaves.map((l) => `'${cliPath(l.ref, project)}' (${l.reason})`).join("; ");
            out.push({
                urn: root.urn,
                message: `stack config '${shown}' holds a secret in plaintext at ${where}. ` + remediation(leaves.map((l) => l.ref), project),
            });
        }
    }
    return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Criterion 2: where the value goes.

interface ConfigIndex extends ConfigSources {
    /** The strings held by some plaintext key that removeSources may find inside a longer value. */
    containable: string[];
}

const indexCache = new WeakMap<StackConfigView, ConfigIndex>();

/** The config's strings, computed once per config view (the view lives for the whole operation). */
function configIndex(view: StackConfigView): ConfigIndex {
    let v = indexCache.get(view);
    if (!v) {
        const shared = configSourcesOf(view);
        const containable = [...shared.strings].filter(([s, keys]) => s.length >= MIN_CONTAINED_SOURCE && keys.some((k) => !view.secretKeys.has(k))).map(([s]) => s);
        v = { ...shared, containable };
        indexCache.set(view, v);
    }
    return v;
}

/** Where `source` sits in config `key`: the whole value, or the leaves of a structured value that equal it. */
function locate(cfg: StackConfigView, key: string, source: string): ConfigRef[] {
    const value = cfg.values.get(key);
    if (value === source || value === undefined) return [{ key, path: [] }];
    const doc = parseContainer(value);
    const refs: ConfigRef[] = [];
    if (doc !== undefined) {
        walkStrings(doc as Wire, (leaf) => {
            if (leaf.value === source) refs.push({ key, path: leaf.path.slice() });
        }, { parseJson: false });
    }
    return refs.length ? refs : [{ key, path: [] }];
}

/**
 * The plaintext config a string came from, by the per-value comparison no-hardcoded-secrets uses (exact value, or
 * removeSources). For a credential format, the config values that hold the credential itself (a password inside a
 * connection string whose host is a resource output). Undefined when it did not come from config, or when any of
 * its sources is secret config.
 */
export function plaintextSources(cfg: StackConfigView, value: string, credential?: { detector: string; match: string }): ConfigRef[] | undefined {
    const { strings, sources } = configIndex(cfg);
    const text: SecretText = credential ? { kind: "format", value, match: credential.match } : { kind: "key", value, match: value };
    const used = strings.has(text.match) ? [text.match] : sourcesOf(text, sources);
    if (!used) return undefined;
    const keys = [...new Set(used.flatMap((v) => strings.get(v) ?? []))];
    if (keys.length === 0 || keys.some((k) => cfg.secretKeys.has(k))) return undefined;
    const refs: ConfigRef[] = [];
    for (const v of used) {
        for (const k of strings.get(v) ?? []) refs.push(...locate(cfg, k, v));
    }
    return dedupe(refs);
}

function refId(r: ConfigRef): string {
    return JSON.stringify([r.key, r.path]);
}

function dedupe(refs: ConfigRef[]): ConfigRef[] {
    const seen = new Set<string>();
    return refs.filter((r) => (seen.has(refId(r)) ? false : (seen.add(refId(r)), true)));
}

/**
 * Could plaintext config explain any string in these props? A cheap early-out before the scan, never a decision:
 * removeSources explains a value only by a source it equals or (MIN_CONTAINED_SOURCE and longer) contains.
 */
function mayHoldPlaintextConfig(props: Wire, cfg: StackConfigView): boolean {
    const { strings, containable } = configIndex(cfg);
    let found = false;
    walkStrings(props, (leaf) => {
        if (found) return;
        const exact = strings.get(leaf.value);
        if (exact && exact.some((k) => !cfg.secretKeys.has(k))) found = true;
        else for (const p of containable) if (leaf.value.includes(p)) { found = true; break; }
    });
    return found;
}

function placeOf(c: Candidate): string {
    return c.kind === "format" ? `a credential (${c.detector})` : `a place only a secret belongs in (${c.detector})`;
}

/** Criterion 2 on one resource's inputs (any resource or provider; not the root stack, whose exports come later). */
export function checkResourceInputs(subject: ResourceSubject, cfg: StackConfigView, config: PlaintextConfigConfig): Finding[] {
    if (!canJudge(cfg) || subject.type === ROOT_STACK_TYPE) return [];
    if (!mayHoldPlaintextConfig(subject.props, cfg)) return [];
    const project = projectOf(subject.urn);
    const allow = config.allowlist ?? [];
    const byPlace = new Map<string, { refs: Map<string, ConfigRef>; place: string }>();
    for (const c of scanProps(subject.type, subject.props)) {
        const refs = plaintextSources(cfg, c.value, c.kind === "format" ? c : undefined);
        if (!refs) continue;
        const prop = formatPath(c.path);
        let entry = byPlace.get(prop);
        for (const r of refs) {
            if (isAllowed(allow, r, project)) continue;
            if (!entry) byPlace.set(prop, (entry = { refs: new Map(), place: placeOf(c) }));
            entry.refs.set(refId(r), r);
        }
    }
    const out: Finding[] = [];
    for (const [prop, { refs, place }] of byPlace) {
        // One finding per config key per property.
        for (const r of refs.values()) {
            out.push({
                urn: subject.urn,
                message: `${subject.type} '${subject.name}' property ${prop} takes stack config '${cliPath(r, project)}', ` +
                    `which is set in plaintext: the property is ${place}, so the value is a secret. ` + remediation([r], project),
            });
        }
    }
    return out;
}

/** Criterion 2 on the exports: leaves that no-plaintext-secret-exports flags and that plaintext config explains. */
export function checkExportedConfig(resources: StackSubject[], cfg: StackConfigView, config: PlaintextConfigConfig): Finding[] {
    if (!canJudge(cfg)) return [];
    const root = resources.find((r) => r.type === ROOT_STACK_TYPE && !r.parent);
    if (!root) return [];
    const project = projectOf(root.urn);
    const allow = config.allowlist ?? [];
    const out: Finding[] = [];
    const props = root.props;
    if (!isPlainObject(props) || !mayHoldPlaintextConfig(props, cfg)) return [];
    for (const name of Object.keys(props)) {
        const seen = new Set<string>();
        walkStrings(props[name], (leaf) => {
            if (leaf.secret || leaf.holdsJson || leaf.value.length === 0) return;
            const refs = plaintextSources(cfg, leaf.value);
            if (!refs) return;
            // Would no-plaintext-secret-exports flag this leaf? Ask it, on this leaf alone under the same names.
            const inner: Wire = leaf.key !== undefined && leaf.key !== name ? { [leaf.key]: leaf.value } : leaf.value;
            if (checkExports([{ ...root, props: { [name]: inner } }], { allowExports: [] }, cfg).length === 0) return;
            const where = leaf.path.length ? `stack export '${name}' at ${formatPath(leaf.path)}` : `stack export '${name}'`;
            for (const r of refs) {
                if (isAllowed(allow, r, project) || seen.has(refId(r) + where)) continue;
                seen.add(refId(r) + where);
                out.push({
                    urn: root.urn,
                    message: `${where} carries stack config '${cliPath(r, project)}', which is set in plaintext; the export ` +
                        "is secret material (no-plaintext-secret-exports flags it), so the config value is a secret. " +
                        remediation([r], project),
                });
            }
        });
    }
    return out;
}

/** Analyze of any resource: the config itself on the root stack (criteria 1 and 3), where values go elsewhere. */
export function analyzeResource(subject: ResourceSubject, config: PlaintextConfigConfig, ctx: RuleContext): Outcome {
    const cfg = ctx.stackConfig;
    if (subject.type === ROOT_STACK_TYPE) {
        if (!cfg.available) return notApplicable("no stack config: the pack runs without a stack (e.g. `pulumi policy publish`)");
        if (!canJudge(cfg)) {
            return notApplicable("the engine did not say which config keys are secret (no ConfigureStack), so plaintext " +
                "config cannot be told from secret config");
        }
        // Advisory: a malformed entry allows nothing more than it should, so the findings themselves are unaffected.
        const problems = allowlistProblems(config).map((message) => ({ message, level: "advisory" as const }));
        return findings(...problems, ...checkConfigValues(cfg, config, subject));
    }
    return findings(...checkResourceInputs(subject, cfg, config));
}
