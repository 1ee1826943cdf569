// A resource monitor standing in for the engine. Unlike @pulumi/pulumi's MockMonitor it keeps every request raw
// (secret wrappers, unknown sentinels, resource references), forms URNs as the engine does, registers default
// providers, and answers with what the engine would send back in preview or update mode.
import * as crypto from "crypto";
import * as path from "path";
import { fabricate, invokeResult, plain } from "./fabricate";
import { WirePosition } from "../location";
import { CapturedOptions, CapturedResource, Raw } from "./types";
import { SECRET_SIG, SIG_KEY, UNKNOWN_STRING } from "../../policies/lib/wire";

export const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

interface Protos {
    resproto: any;
    provproto: any;
    structproto: any;
}

function loadProtos(pulumiDir: string): Protos {
    return {
        resproto: require(path.join(pulumiDir, "proto", "resource_pb")),
        provproto: require(path.join(pulumiDir, "proto", "provider_pb")),
        structproto: require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [pulumiDir] })),
    };
}

/** A SourcePosition message as `{uri, line, column}`; undefined when absent or empty. */
function position(pos: any): WirePosition | undefined {
    if (!pos) return undefined;
    const uri: string = pos.getUri();
    return uri ? { uri, line: pos.getLine(), column: pos.getColumn() } : undefined;
}

/** Call site and stack trace of a Register/ReadResourceRequest, as the Node SDK fills them in. */
function callSite(req: any): { sourcePosition?: WirePosition; stackTrace?: Array<WirePosition | undefined> } {
    const sourcePosition = position(req.getSourceposition?.());
    const frames = req.getStacktrace?.()?.getFramesList?.() as any[] | undefined;
    const stackTrace = frames?.map((f) => position(f.getPc()));
    return { sourcePosition, stackTrace };
}

function secret(v: any): any {
    return { [SIG_KEY]: SECRET_SIG, value: v };
}

function isSecret(v: any): boolean {
    return !!v && typeof v === "object" && !Array.isArray(v) && v[SIG_KEY] === SECRET_SIG;
}

/** "1h2m3.5s" -> seconds. */
function durationSeconds(s: string): number {
    if (!s) return 0;
    let total = 0;
    const re = /(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(s))) {
        const n = parseFloat(m[1]);
        total += m[2] === "h" ? n * 3600 : m[2] === "m" ? n * 60 : m[2] === "s" ? n : m[2] === "ms" ? n / 1e3 : n / 1e6;
    }
    return total;
}

export interface MonitorSettings {
    project: string;
    stack: string;
    dryRun: boolean;
    config: Record<string, string>;
    secretKeys: string[];
}

export class CaptureMonitor {
    readonly resources: CapturedResource[] = [];
    private readonly byUrn = new Map<string, CapturedResource>();
    private readonly defaultProviders = new Map<string, CapturedResource>();
    private readonly p: Protos;

    constructor(pulumiDir: string, private readonly s: MonitorSettings) {
        this.p = loadProtos(pulumiDir);
    }

    get rootStack(): CapturedResource | undefined {
        return this.resources.find((r) => r.type === ROOT_STACK_TYPE && !r.parent);
    }

    /** The engine's URN: children of the root stack are not prefixed with the stack's type. */
    urnFor(parent: string, type: string, name: string): string {
        let qualified = type;
        if (parent) {
            const parentQualified = parent.split("::")[2] ?? "";
            if (parentQualified !== ROOT_STACK_TYPE) qualified = `${parentQualified}$${type}`;
        }
        return `urn:pulumi:${this.s.stack}::${this.s.project}::${qualified}::${name}`;
    }

    private newId(r: { type: string; name: string; urn: string; inputs: Raw }): { id: string; computed: Raw } {
        if (r.type.startsWith("pulumi:providers:")) {
            return { id: this.s.dryRun ? "" : crypto.randomUUID(), computed: {} };
        }
        if (this.s.dryRun) return { id: "", computed: {} };
        const f = fabricate(r.type, r.name, r.urn, r.inputs, this.s.config);
        return { id: f.id, computed: f.outputs };
    }

    /** Default provider for `pkg@version`, registered just before the first resource needing it. */
    private defaultProviderRef(type: string, version: string): string {
        const pkg = type.split(":")[0];
        const key = `${pkg}@${version}`;
        let prov = this.defaultProviders.get(key);
        if (!prov) {
            const name = version ? `default_${version.replace(/[.+-]/g, "_")}` : "default";
            const ptype = `pulumi:providers:${pkg}`;
            const urn = this.urnFor("", ptype, name);
            const inputs: Raw = {};
            const secretKeys = new Set(this.s.secretKeys);
            for (const [k, v] of Object.entries(this.s.config)) {
                if (k.startsWith(pkg + ":")) {
                    const sub = k.slice(pkg.length + 1);
                    inputs[sub] = secretKeys.has(k) ? secret(v) : v;
                }
            }
            if (version) inputs.version = version;
            const id = this.s.dryRun ? UNKNOWN_STRING : crypto.randomUUID();
            prov = {
                urn, type: ptype, name, custom: true, parent: "", provider: "", id,
                dependencies: [], propertyDependencies: {}, inputs, outputs: { ...inputs },
                options: emptyOptions(), defaultProvider: true,
            };
            this.defaultProviders.set(key, prov);
            this.add(prov);
        }
        return `${prov.urn}::${prov.id}`;
    }

    private add(r: CapturedResource): void {
        if (this.byUrn.has(r.urn)) {
            throw new Error(`Duplicate resource URN '${r.urn}'; try giving it a unique name`);
        }
        this.byUrn.set(r.urn, r);
        this.resources.push(r);
    }

    private outputsFor(inputs: Raw, computed: Raw, secretOutputs: string[]): Raw {
        const outputs = mergeComputed(inputs, computed) as Raw;
        for (const k of secretOutputs) {
            if (k in outputs) {
                if (!isSecret(outputs[k])) outputs[k] = secret(outputs[k]);
            } else if (this.s.dryRun) {
                // A provider's preview returns every output, computed ones unknown; the engine then wraps the
                // additional secret outputs. So a requested secret output is a secret unknown in preview.
                outputs[k] = secret(UNKNOWN_STRING);
            }
        }
        return outputs;
    }

    private struct(obj: Raw): any {
        return this.p.structproto.Struct.fromJavaScript(obj);
    }

    registerResource(req: any, callback: (err: any, resp?: any) => void): void {
        try {
            const type: string = req.getType();
            const name: string = req.getName();
            const custom: boolean = req.getCustom() && !req.getRemote();
            const parent: string = req.getParent();
            const urn = this.urnFor(parent, type, name);
            const inputs: Raw = req.getObject()?.toJavaScript() ?? {};
            const isProvider = type.startsWith("pulumi:providers:");
            const version: string = req.getVersion();
            if (isProvider && version && inputs.version === undefined) inputs.version = version;
            let provider: string = req.getProvider();
            if (custom && !isProvider && !provider) provider = this.defaultProviderRef(type, version);
            const propertyDependencies: Record<string, string[]> = {};
            const pd = req.getPropertydependenciesMap();
            if (pd) for (const [k, v] of pd.entries()) propertyDependencies[k] = v.getUrnsList();
            const ct = req.getCustomtimeouts();
            const options: CapturedOptions = {
                protect: !!req.getProtect(),
                ignoreChanges: req.getIgnorechangesList(),
                deleteBeforeReplace: req.getDeletebeforereplacedefined() ? req.getDeletebeforereplace() : undefined,
                additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
                aliases: req.getAliasurnsList(),
                customTimeouts: {
                    create: durationSeconds(ct?.getCreate() ?? ""),
                    update: durationSeconds(ct?.getUpdate() ?? ""),
                    delete: durationSeconds(ct?.getDelete() ?? ""),
                },
            };
            let id = "";
            let outputs: Raw = {};
            if (custom) {
                const made = this.newId({ type, name, urn, inputs });
                id = made.id;
                outputs = this.outputsFor(inputs, made.computed, options.additionalSecretOutputs);
            }
            const r: CapturedResource = {
                urn, type, name, custom, parent, provider, id: id || (custom ? UNKNOWN_STRING : ""),
                dependencies: req.getDependenciesList(), propertyDependencies, inputs, outputs, options, ...callSite(req),
            };
            this.add(r);
            const resp = new this.p.resproto.RegisterResourceResponse();
            resp.setUrn(urn);
            resp.setId(id);
            resp.setObject(this.struct(outputs));
            callback(null, resp);
        } catch (err) {
            callback(err);
        }
    }

    readResource(req: any, callback: (err: any, resp?: any) => void): void {
        try {
            const type: string = req.getType();
            const name: string = req.getName();
            const parent: string = req.getParent();
            const urn = this.urnFor(parent, type, name);
            const inputs: Raw = req.getProperties()?.toJavaScript() ?? {};
            const id: string = req.getId();
            let provider: string = req.getProvider();
            if (!provider) provider = this.defaultProviderRef(type, req.getVersion());
            const made = this.s.dryRun ? { computed: {} } : { computed: fabricate(type, name, urn, inputs, this.s.config).outputs };
            const outputs = this.outputsFor(inputs, made.computed, req.getAdditionalsecretoutputsList());
            this.add({
                urn, type, name, custom: true, parent, provider, id, dependencies: req.getDependenciesList(),
                propertyDependencies: {}, inputs, outputs, options: emptyOptions(), read: true, ...callSite(req),
            });
            const resp = new this.p.resproto.ReadResourceResponse();
            resp.setUrn(urn);
            resp.setProperties(this.struct(outputs));
            callback(null, resp);
        } catch (err) {
            callback(err);
        }
    }

    registerResourceOutputs(req: any, callback: (err: any, resp?: any) => void): void {
        const r = this.byUrn.get(req.getUrn());
        if (!r) {
            callback(new Error(`unknown resource ${req.getUrn()}`));
            return;
        }
        const outs: Raw = req.getOutputs()?.toJavaScript() ?? {};
        // Components keep their registered outputs as their state; custom resources merge them.
        r.outputs = r.custom ? { ...r.outputs, ...outs } : outs;
        callback(null, {});
    }

    invoke(req: any, callback: (err: any, resp?: any) => void): void {
        try {
            const tok: string = req.getTok();
            const args: Raw = req.getArgs()?.toJavaScript() ?? {};
            let ret: Raw;
            if (tok === "pulumi:pulumi:getResource") {
                const r = this.byUrn.get(plain(args).urn);
                if (!r) throw new Error(`unknown resource ${plain(args).urn}`);
                ret = { urn: r.urn, id: r.id, state: r.outputs };
            } else {
                ret = invokeResult(tok, args, this.s.config);
            }
            const resp = new this.p.provproto.InvokeResponse();
            resp.setReturn(this.struct(ret));
            callback(null, resp);
        } catch (err) {
            callback(err);
        }
    }

    call(req: any, callback: (err: any, resp?: any) => void): void {
        try {
            const args: Raw = req.getArgs()?.toJavaScript() ?? {};
            const resp = new this.p.provproto.CallResponse();
            resp.setReturn(this.struct(plain(args)));
            callback(null, resp);
        } catch (err) {
            callback(err);
        }
    }

    supportsFeature(req: any, callback: (err: any, resp?: any) => void): void {
        const id: string = req.getId();
        // As the engine: secrets and resource references on; output values off, so secrets and unknowns travel as
        // wrappers and sentinels, and property dependencies on their own. Transforms and hooks need a callback
        // server, which this offline monitor does not run.
        const supported = new Set(["secrets", "resourceReferences", "deletedWith", "replaceWith", "aliasSpecs", "parameterization"]);
        const has = supported.has(id);
        callback(null, { getHassupport: () => has });
    }

    registerPackage(req: any, callback: (err: any, resp?: any) => void): void {
        const resp = new this.p.resproto.RegisterPackageResponse();
        resp.setRef(crypto.createHash("sha256").update(`${req.getName()}@${req.getVersion()}`).digest("hex").slice(0, 32));
        callback(null, resp);
    }

    signalAndWaitForShutdown(_req: any, callback: (err: any, resp?: any) => void): void {
        callback(null, {});
    }

    close(): void {
        /* nothing to close */
    }
}

function isPlainObject(v: any): boolean {
    return !!v && typeof v === "object" && !Array.isArray(v) && !(SIG_KEY in v);
}

/** Inputs win; computed outputs fill in what the inputs lack, inside nested objects too (e.g. properties.vaultUri). */
export function mergeComputed(inputs: any, computed: any): any {
    if (!isPlainObject(inputs) || !isPlainObject(computed)) return inputs === undefined ? computed : inputs;
    const out: Raw = { ...inputs };
    for (const [k, v] of Object.entries(computed)) out[k] = k in out ? mergeComputed(out[k], v) : v;
    return out;
}

export function emptyOptions(): CapturedOptions {
    return { protect: false, ignoreChanges: [], additionalSecretOutputs: [], aliases: [], customTimeouts: { create: 0, update: 0, delete: 0 } };
}
