// Reads a stack's state into what the program runner captures, so a stack written in any language can be audited
// through the same Analyzer calls: Analyze with each resource's inputs, then AnalyzeStack with outputs, parents,
// dependencies and property dependencies. The state is what `pulumi stack export` writes or the checkpoint file of a
// self-managed backend, in any version the engine reads (checker/checkpoint.ts).
//
// Secrets: `--show-secrets` exports hold `"plaintext": "<JSON>"`, which is turned back into a secret-wrapped value.
// Encrypted states hold `"ciphertext"`, whatever the secrets provider (passphrase, b64, a cloud KMS, the service): a
// secret whose value cannot be read. It becomes a secret-wrapped unknown, so no policy can flag it as hard-coded and
// nothing tries to decrypt it.
//
// Errors never quote the file's content: they name the file and a position or a resource index.
import { parseStatePosition } from "./location";
import * as fs from "fs";
import { decodeStateBytes, StateError, unwrapState } from "./checkpoint";
import { isSecure, qualifyKey, readStackConfigFile } from "./runner/project";
import { CapturedResource, RunResult } from "./runner/types";

import { SECRET_SIG, SIG_KEY, UNKNOWN_STRING } from "../policies/lib/wire";
const MAX_DEPTH = 512;

export { StateError };

/** Converts one state value to its wire form. */
export function stateValueToWire(v: unknown, depth = 0): unknown {
    if (depth > MAX_DEPTH) throw new StateError(`a value in the state file is nested more than ${MAX_DEPTH} levels deep`);
    if (v === null || typeof v !== "object") return v;
    if (Array.isArray(v)) return v.map((e) => stateValueToWire(e, depth + 1));
    const o = v as Record<string, unknown>;
    if (o[SIG_KEY] === SECRET_SIG) {
        if (typeof o.plaintext === "string") {
            let inner: unknown;
            try {
                inner = JSON.parse(o.plaintext);
            } catch {
                throw new StateError("a secret's plaintext in the state file is not valid JSON");
            }
            return { [SIG_KEY]: SECRET_SIG, value: stateValueToWire(inner, depth + 1) };
        }
        if ("value" in o) return { [SIG_KEY]: SECRET_SIG, value: stateValueToWire(o.value, depth + 1) };
        // Ciphertext (or any secret we cannot read): a secret whose value is not known here.
        return { [SIG_KEY]: SECRET_SIG, value: UNKNOWN_STRING };
    }
    // Resource references, assets and archives have the same shape in state as on the wire.
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(o)) out[k] = stateValueToWire(o[k], depth + 1);
    return out;
}

function str(v: unknown): string {
    return typeof v === "string" ? v : "";
}

function strings(v: unknown): string[] {
    return Array.isArray(v) ? v.filter((x) => typeof x === "string") : [];
}

/** `urn:pulumi:<stack>::<project>::<type>::<name>`; a name may itself contain "::". */
function splitUrn(urn: string): { stack: string; project: string; name: string } | undefined {
    const parts = urn.slice("urn:pulumi:".length).split("::");
    if (parts.length < 4) return undefined;
    return { stack: parts[0], project: parts[1], name: parts.slice(3).join("::") };
}

function seconds(v: unknown): number {
    return typeof v === "number" && Number.isFinite(v) && v > 0 ? v : 0;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
    return !!v && typeof v === "object" && !Array.isArray(v);
}

export interface StateConfig {
    /** Config values known to the caller, keys `<namespace>:<key>`. Secure config is absent (unknown). */
    values: Record<string, string>;
    secretKeys: string[];
}

/** Fields each resource version has (apitype ResourceV1, V2); a version-3 resource is read whole. */
const RESOURCE_V1_FIELDS = ["urn", "custom", "delete", "id", "type", "inputs", "outputs", "parent", "protect", "dependencies", "initErrors"];
const RESOURCE_V2_FIELDS = [...RESOURCE_V1_FIELDS, "external", "provider"];

/** A resource of a deployment of `version` as the engine migrates it to ResourceV3 (migrate.UpToResourceV2/V3). */
function migrateResource(r: Record<string, unknown>, version: number): Record<string, unknown> {
    if (version >= 3) return r;
    const fields = version === 1 ? RESOURCE_V1_FIELDS : RESOURCE_V2_FIELDS;
    const out: Record<string, unknown> = {};
    for (const f of fields) if (f in r) out[f] = r[f];
    // Every input property is taken to depend on all of the resource's dependencies.
    const deps = strings(r.dependencies);
    const propertyDependencies: Record<string, string[]> = {};
    if (isPlainObject(r.inputs)) for (const k of Object.keys(r.inputs)) propertyDependencies[k] = deps;
    out.propertyDependencies = propertyDependencies;
    return out;
}

function readResource(raw: unknown, version: number, where: string, source: string): CapturedResource | undefined {
    if (!isPlainObject(raw)) throw new StateError(`${source}: ${where} is not an object`);
    const r = migrateResource(raw, version);
    const urn = str(r.urn);
    const type = str(r.type);
    const parts = urn.startsWith("urn:pulumi:") ? splitUrn(urn) : undefined;
    if (!parts || !type) throw new StateError(`${source}: ${where} has no valid urn and type`);
    // A resource pending deletion (replaced, or deleted in a failed update) is not part of the stack.
    if (r.delete === true) return undefined;
    for (const field of ["inputs", "outputs", "propertyDependencies"] as const) {
        if (r[field] !== undefined && r[field] !== null && !isPlainObject(r[field])) {
            throw new StateError(`${source}: ${where}.${field} must be an object`);
        }
    }
    const propertyDependencies: Record<string, string[]> = {};
    for (const [k, v] of Object.entries((r.propertyDependencies as Record<string, unknown>) ?? {})) {
        const urns = strings(v);
        if (urns.length > 0) propertyDependencies[k] = urns;
    }
    const ct = isPlainObject(r.customTimeouts) ? r.customTimeouts : {};
    const res: CapturedResource = {
        urn,
        type,
        name: parts.name,
        custom: r.custom === true,
        parent: str(r.parent),
        provider: str(r.provider),
        id: str(r.id),
        dependencies: strings(r.dependencies),
        propertyDependencies,
        inputs: stateValueToWire(r.inputs ?? {}) as Record<string, unknown>,
        outputs: stateValueToWire(r.outputs ?? {}) as Record<string, unknown>,
        options: {
            protect: r.protect === true,
            ignoreChanges: strings(r.ignoreChanges),
            additionalSecretOutputs: strings(r.additionalSecretOutputs),
            aliases: strings(r.aliases),
            customTimeouts: { create: seconds(ct.create), update: seconds(ct.update), delete: seconds(ct.delete) },
        },
    };
    // A resource read with `.get` (external): in the stack analysis only, never analyzed on its own.
    if (r.external === true) res.read = true;
    // Where the program created it (`project:///index.ts#12,5`), relative to the project root.
    const at = parseStatePosition(r.sourcePosition);
    if (at) res.location = at;
    return res;
}

export interface ParsedState {
    run: RunResult;
    /** Things the reader wants the user to know (pending operations, unknown features), never file content. */
    notes: string[];
    form: "export" | "checkpoint";
    version: number;
}

/** Parses a state's JSON text (an export or a checkpoint). The stack config for provenance is supplied by the caller. */
export function parseState(text: string, config: StateConfig, source = "state file"): ParsedState {
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch (e) {
        const m = /position (\d+)/.exec((e as Error).message);
        throw new StateError(`${source} is not valid JSON${m ? ` (at position ${m[1]})` : ""}`);
    }
    const { form, version, deployment, notes } = unwrapState(doc, source);
    const prefix = form === "checkpoint" ? "checkpoint.latest" : "deployment";
    const list = deployment.resources;
    if (list !== undefined && list !== null && !Array.isArray(list)) {
        throw new StateError(`${source}: ${prefix}.resources must be an array`);
    }
    const resources: CapturedResource[] = [];
    for (const [i, r] of ((list ?? []) as unknown[]).entries()) {
        const res = readResource(r, version, `resources[${i}]`, source);
        if (res) resources.push(res);
    }

    // Operations the engine had started when the update stopped (DeploymentV2 and later): the resources being
    // created or read are not in the resource list yet, so they are audited too, with the inputs the engine sent.
    const ops = version >= 2 ? deployment.pending_operations : undefined;
    if (ops !== undefined && ops !== null && !Array.isArray(ops)) {
        throw new StateError(`${source}: ${prefix}.pending_operations must be an array`);
    }
    if (Array.isArray(ops) && ops.length > 0) {
        const kinds = new Map<string, number>();
        const added: string[] = [];
        const listed = new Set(resources.map((r) => r.urn));
        for (const [i, op] of ops.entries()) {
            if (!isPlainObject(op)) throw new StateError(`${source}: pending_operations[${i}] is not an object`);
            const kind = typeof op.type === "string" ? op.type.slice(0, 20) : "unknown";
            kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
            const res = readResource(op.resource, version, `pending_operations[${i}].resource`, source);
            if (res && (kind === "creating" || kind === "reading") && !listed.has(res.urn)) {
                if (kind === "reading") res.read = true;
                resources.push(res);
                listed.add(res.urn);
                added.push(res.name);
            }
        }
        const summary = [...kinds.entries()].map(([k, n]) => `${n} ${k}`).join(", ");
        notes.push(`${source} has ${ops.length} pending operation(s) (${summary}): an update was interrupted, so the ` +
            `state may not match the cloud; the next \`pulumi up\` or \`pulumi refresh\` asks to resolve them` +
            (added.length > 0 ? `. Resources still being created or read are audited too: ${added.join(", ")}` : ""));
    }

    // The engine registers the root stack before anything else; keep the state's order for the rest.
    const rootIndex = resources.findIndex((r) => r.type === "pulumi:pulumi:Stack" && !r.parent);
    if (rootIndex > 0) resources.unshift(...resources.splice(rootIndex, 1));
    const root = rootIndex >= 0 ? resources[0] : undefined;
    const where = splitUrn((root ?? resources[0])?.urn ?? "urn:pulumi:") ?? { stack: "", project: "" };
    return {
        run: {
            project: where.project,
            stack: where.stack,
            organization: "",
            dryRun: false,
            config: { ...config.values },
            secretKeys: [...config.secretKeys],
            resources,
            stackOutputs: root?.outputs ?? {},
        },
        notes,
        form,
        version,
    };
}

/** Parses an export's (or checkpoint's) JSON text into the captured run. */
export function parseStateExport(text: string, config: StateConfig, source = "state file"): RunResult {
    return parseState(text, config, source).run;
}

/** Reads a state file (an export or a checkpoint, gzipped or not). */
export function readState(path: string, config: StateConfig): ParsedState {
    let bytes: Buffer;
    try {
        bytes = fs.readFileSync(path);
    } catch (e) {
        throw new StateError(`cannot read state file ${path}: ${(e as NodeJS.ErrnoException).code ?? "error"}`);
    }
    const source = `state file ${path}`;
    return parseState(decodeStateBytes(bytes, source), config, source);
}

function holdsSecure(v: unknown, depth = 0): boolean {
    if (depth > MAX_DEPTH) return false;
    if (isSecure(v)) return true;
    if (Array.isArray(v)) return v.some((x) => holdsSecure(x, depth + 1));
    if (isPlainObject(v)) return Object.values(v).some((x) => holdsSecure(x, depth + 1));
    return false;
}

export interface StateConfigSources {
    /** Project name (from the export) that qualifies keys without a namespace. */
    project: string;
    /** A Pulumi.<stack>.yaml file. */
    configFile?: string;
    config?: Array<[string, string]>;
    secrets?: Array<[string, string]>;
}

/**
 * The stack config for provenance when auditing an export. `secure:` entries cannot be decrypted offline and, unlike
 * for programs, no stand-in is used: the key is a secret key whose value is unknown (absent from the values) unless
 * `--secret` supplies it. A config object holding a secure leaf is unknown as a whole.
 */
export function readStateConfig(s: StateConfigSources): StateConfig & { notes: string[] } {
    const values: Record<string, string> = {};
    const secret = new Set<string>();
    const notes: string[] = [];
    const unknown: string[] = [];
    if (s.configFile !== undefined) {
        for (const [key, v] of readStackConfigFile(s.configFile, s.project, (m) => new StateError(m))) {
            if (holdsSecure(v)) {
                secret.add(key);
                unknown.push(key);
            } else if (v === null || v === undefined) {
                values[key] = "";
            } else if (typeof v === "object") {
                values[key] = JSON.stringify(v);
            } else {
                values[key] = String(v);
            }
        }
    }
    for (const [k, v] of s.config ?? []) {
        const key = qualifyKey(k, s.project);
        values[key] = v;
        secret.delete(key);
    }
    for (const [k, v] of s.secrets ?? []) {
        const key = qualifyKey(k, s.project);
        values[key] = v;
        secret.add(key);
    }
    const stillUnknown = unknown.filter((k) => secret.has(k) && !(k in values)).sort();
    if (stillUnknown.length) {
        notes.push(`secure config cannot be decrypted offline; secret keys with unknown values: ${stillUnknown.join(", ")} ` +
            `(pass --secret KEY=VALUE to supply one)`);
    }
    return { values, secretKeys: [...secret].sort(), notes };
}
