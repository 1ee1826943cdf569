// Recovers what @pulumi/policy 1.21.0 drops before policies run: the raw wire properties (secret wrappers and
// unknown sentinels intact), the property dependencies of each resource, and ConfigureStack's config and secret
// keys. It does so at a single point: the Analyzer service implementation that @pulumi/policy hands to
// grpc-js's Server.addService. Each call is recorded, then passed on unchanged.
//
// This leans on internals, so @pulumi/policy is pinned to an exact version, `selfTest()` fails loudly when the
// shape changes, and test/policies/lib/engine-hook.test.ts exercises it end to end.
import * as fs from "fs";
import * as path from "path";
import { Wire, WireObject } from "./wire";
import { decodeStruct, resourceHead, ResourceHead, Span, splitField, WireDecodeError } from "./wire-decode";
import { ProviderSubject, StackSubject } from "./rule";

export const PINNED_POLICY_SDK = "1.21.0";

/** The installed @pulumi/policy version, normalised (its package.json says "v1.21.0"). */
export function installedPolicySdkVersion(): string {
    return String(require("@pulumi/policy/package.json").version).replace(/^v/, "");
}

export interface StackInfo {
    stack: string;
    project: string;
    organization: string;
    dryRun: boolean;
    config: Map<string, string>;
    secretKeys: Set<string>;
    tags: Map<string, string>;
}

interface RawResource {
    props: WireObject;
    provider?: ProviderSubject;
}

const analyzing = new Map<string, RawResource>();
let stackResources: StackSubject[] | undefined;
let stackInfo: StackInfo | undefined;
let installed = false;
let configValidator: ((policyConfig: Record<string, { enforcementLevel: string; properties: unknown }>) => string[]) | undefined;
/** Configure calls seen by the wrapped server (undefined until the SDK's server is wrapped). */
let configureCalls: number | undefined;

const EXPECTED_METHODS = ["analyze", "analyzeStack", "remediate", "getAnalyzerInfo", "getPluginInfo", "configure", "configureStack"];

function toObject(struct: { toJavaScript(): unknown } | undefined | null): WireObject {
    if (!struct) return {};
    const js = struct.toJavaScript();
    return js && typeof js === "object" && !Array.isArray(js) ? (js as WireObject) : {};
}

function providerOf(req: any): ProviderSubject | undefined {
    const p = req.getProvider?.();
    if (!p) return undefined;
    return { type: p.getType(), urn: p.getUrn(), name: p.getName(), props: toObject(p.getProperties()) };
}

/**
 * Where the fast deserializers leave what they read from the request's bytes, on the request object: the properties
 * of an Analyze or Remediate request (already plain values), and the resources of an AnalyzeStack request.
 */
const DECODED_PROPS = Symbol("ml-secrets-guard decoded properties");
const STACK_BYTES = Symbol("ml-secrets-guard stack resources");

export function rawOfRequest(req: any): RawResource {
    const decoded: WireObject | undefined = req[DECODED_PROPS];
    return { props: decoded ?? toObject(req.getProperties()), provider: providerOf(req) };
}

/**
 * A resource of the AnalyzeStack request as rules see it. Props, provider and property dependencies are decoded on
 * first read (getters on the class, nothing allocated per resource until then): most stack rules look at a few
 * resources (the root stack, the vaults, those with candidates), and decoding 10,000 resources twice dominates.
 */
class LazyStackSubject implements StackSubject {
    readonly type: string;
    readonly urn: string;
    readonly name: string;
    readonly parent: string | undefined;
    readonly dependencies: string[];
    private decodedProps: WireObject | undefined = undefined;
    private decodedProvider: ProviderSubject | undefined | null = null;
    private decodedDependencies: Record<string, string[]> | undefined = undefined;

    constructor(private readonly r: any) {
        this.type = r.getType();
        this.urn = r.getUrn();
        this.name = r.getName();
        this.parent = r.getParent() || undefined;
        this.dependencies = r.getDependenciesList();
    }

    get props(): WireObject {
        return (this.decodedProps ??= toObject(this.r.getProperties()));
    }

    get provider(): ProviderSubject | undefined {
        if (this.decodedProvider === null) this.decodedProvider = providerOf(this.r);
        return this.decodedProvider;
    }

    get propertyDependencies(): Record<string, string[]> {
        if (!this.decodedDependencies) {
            const m = this.r.getPropertydependenciesMap();
            // fromEntries defines own properties, so a property named "__proto__" cannot replace the prototype.
            this.decodedDependencies = Object.fromEntries(m ? [...m.entries()].map(([k, v]: [string, any]) => [k, v.getUrnsList()]) : []);
        }
        return this.decodedDependencies;
    }
}

/**
 * A resource of the AnalyzeStack request, read from the request's bytes: the fields every rule reads are decoded
 * up front (resourceHead), the properties on first read straight into plain values (decodeStruct), and the provider
 * and property dependencies, which few rules read, by google-protobuf from this resource's bytes alone.
 */
class BytesStackSubject implements StackSubject {
    readonly type: string;
    readonly urn: string;
    readonly name: string;
    readonly parent: string | undefined;
    readonly dependencies: string[];
    private readonly head: ResourceHead;
    private decodedProps: WireObject | undefined = undefined;
    private message: LazyStackSubject | undefined = undefined;

    constructor(private readonly buf: Buffer, private readonly span: Span, head: ResourceHead, private readonly resourceType: any) {
        this.head = head;
        this.type = this.head.type;
        this.urn = this.head.urn;
        this.name = this.head.name;
        this.parent = this.head.parent || undefined;
        this.dependencies = this.head.dependencies;
    }

    /** This resource decoded by google-protobuf (for the fields decoded on demand, and as the fallback). */
    private decoded(): LazyStackSubject {
        return (this.message ??= new LazyStackSubject(this.resourceType.deserializeBinary(new Uint8Array(this.buf.subarray(this.span.start, this.span.end)))));
    }

    get props(): WireObject {
        if (this.decodedProps === undefined) {
            const p = this.head.properties;
            try {
                this.decodedProps = p === undefined ? {} : decodeStruct(this.buf, p.start, p.end);
            } catch (e) {
                if (!(e instanceof WireDecodeError)) throw e;
                this.decodedProps = this.decoded().props;
            }
        }
        return this.decodedProps;
    }

    get provider(): ProviderSubject | undefined {
        return this.decoded().provider;
    }

    get propertyDependencies(): Record<string, string[]> {
        return this.decoded().propertyDependencies;
    }
}

export function stackSubjects(req: any): StackSubject[] {
    const bytes: { buf: Buffer; spans: Span[]; heads: ResourceHead[]; resourceType: any } | undefined = req[STACK_BYTES];
    if (bytes) return bytes.spans.map((s, i) => new BytesStackSubject(bytes.buf, s, bytes.heads[i], bytes.resourceType));
    return req.getResourcesList().map((r: any) => new LazyStackSubject(r));
}

/** An empty google.protobuf.Struct in field 2 (`properties`) of an AnalyzeRequest: what blankProperties leaves. */
const EMPTY_PROPERTIES_FIELD = Buffer.from([0x12, 0x00]);
const ANALYZE_PROPERTIES_FIELD = 2;
const STACK_RESOURCES_FIELD = 1;

/**
 * Request deserializers that read the bytes the SDK would decode and then never use (see blankProperties and
 * wrapped.analyzeStack), so google-protobuf does not build them:
 * - Analyze and Remediate: the properties are decoded straight into plain values for our policies; the SDK gets the
 *   request with an empty Struct in their place, as blankRequest would leave it.
 * - AnalyzeStack: the SDK gets the request without its resources (it is handed none anyway); our stack policies
 *   read each resource from the bytes, as far as they need (BytesStackSubject).
 * Bytes these readers cannot vouch for (WireDecodeError) go to the SDK's own deserializer, as before.
 */
export function fastDeserializers(service: any, analyzerPb: any): any {
    const copy = { ...service };
    const analyze = (original: (b: Buffer) => any) => (buf: Buffer) => {
        try {
            const { spans, rest } = splitField(buf, ANALYZE_PROPERTIES_FIELD);
            const last = spans[spans.length - 1];
            const props = last === undefined ? {} : decodeStruct(buf, last.start, last.end);
            const req = original(Buffer.concat([rest, EMPTY_PROPERTIES_FIELD]));
            req[DECODED_PROPS] = props;
            return req;
        } catch (e) {
            if (!(e instanceof WireDecodeError)) throw e;
            return original(buf);
        }
    };
    for (const m of ["analyze", "remediate"]) copy[m] = { ...service[m], requestDeserialize: analyze(service[m].requestDeserialize) };
    const originalStack = service.analyzeStack.requestDeserialize;
    copy.analyzeStack = {
        ...service.analyzeStack,
        requestDeserialize: (buf: Buffer) => {
            try {
                const { spans, rest } = splitField(buf, STACK_RESOURCES_FIELD);
                // Each resource's head is read now, so bytes we cannot read fall back here, not later.
                const heads = spans.map((s) => resourceHead(buf, s.start, s.end));
                const req = originalStack(rest);
                req[STACK_BYTES] = { buf, spans, heads, resourceType: analyzerPb.AnalyzerResource };
                return req;
            } catch (e) {
                if (!(e instanceof WireDecodeError)) throw e;
                return originalStack(buf);
            }
        },
    };
    return copy;
}

/**
 * Our policies read the raw props recorded here, never the SDK's decoded copy, so the SDK is handed empty props
 * (the provider's too): it would otherwise decode every resource once per policy (per Analyze, and per stack policy
 * in AnalyzeStack).
 */
function blankProperties(holder: any): void {
    const struct = holder.getProperties?.();
    if (struct) holder.setProperties(new struct.constructor());
}

/** blankProperties for an Analyze or Remediate request: its own properties and its provider's (also decoded per policy). */
function blankRequest(req: any): void {
    blankProperties(req);
    const provider = req.getProvider?.();
    if (provider) blankProperties(provider);
}

/** A gRPC service method or its callback, as grpc-js calls them. */
type Handler = (...args: any[]) => any;

function wrapImpl(impl: Record<string, Handler>, grpc: any): Record<string, Handler> {
    const missing = EXPECTED_METHODS.filter((m) => typeof impl[m] !== "function");
    if (missing.length) {
        throw new Error(`ml-secrets-guard: @pulumi/policy's Analyzer implementation lacks ${missing.join(", ")}; ` +
            `this pack is built for @pulumi/policy ${PINNED_POLICY_SDK}`);
    }
    const wrapped: Record<string, Handler> = { ...impl };
    wrapped.analyze = (call: any, callback: Handler) => {
        const urn = call.request.getUrn();
        analyzing.set(urn, rawOfRequest(call.request));
        blankRequest(call.request);
        return impl.analyze(call, (...args: unknown[]) => {
            analyzing.delete(urn);
            callback(...args);
        });
    };
    wrapped.remediate = (call: any, callback: Handler) => {
        const urn = call.request.getUrn();
        analyzing.set(urn, rawOfRequest(call.request));
        blankRequest(call.request);
        return impl.remediate(call, (...args: unknown[]) => {
            analyzing.delete(urn);
            callback(...args);
        });
    };
    wrapped.analyzeStack = (call: any, callback: Handler) => {
        stackResources = stackSubjects(call.request);
        // Our stack policies read the subjects captured above, never the SDK's copy: the SDK is handed no resources,
        // so it does not build a decoded resource object for every resource once per stack policy.
        call.request.setResourcesList([]);
        return impl.analyzeStack(call, (...args: unknown[]) => {
            stackResources = undefined;
            callback(...args);
        });
    };
    wrapped.configureStack = (call: any, callback: Handler) => {
        try {
            const req = call.request;
            const config = new Map<string, string>();
            req.getConfigMap().forEach((v: string, k: string) => config.set(k, v));
            const tags = new Map<string, string>();
            req.getTagsMap().forEach((v: string, k: string) => tags.set(k, v));
            stackInfo = {
                stack: req.getStack(),
                project: req.getProject(),
                organization: req.getOrganization(),
                dryRun: req.getDryRun(),
                config,
                secretKeys: new Set(req.getConfigSecretKeysList()),
                tags,
            };
        } catch (e) {
            // Keep going with the SDK's own handling; provenance falls back to PULUMI_CONFIG.
            process.stderr.write(`ml-secrets-guard: could not read ConfigureStack: ${(e as Error).constructor.name}\n`);
        }
        return impl.configureStack(call, callback);
    };
    configureCalls = 0;
    wrapped.configure = (call: any, callback: Handler) => {
        // Counted before the SDK stores the new config, so no reader can pair the new count with the old config.
        configureCalls!++;
        if (configValidator) {
            try {
                const cfg: Record<string, { enforcementLevel: string; properties: unknown }> = {};
                for (const [k, v] of call.request.getPolicyconfigMap().entries()) {
                    cfg[k] = { enforcementLevel: String(v.getEnforcementlevel()), properties: v.getProperties()?.toJavaScript() ?? {} };
                }
                const problems = configValidator(cfg);
                if (problems.length) {
                    const err: any = new Error(`invalid policy configuration for ml-secrets-guard:\n  ${problems.join("\n  ")}`);
                    err.code = grpc.status.INVALID_ARGUMENT;
                    err.details = err.message;
                    callback(err);
                    return;
                }
            } catch (e) {
                const err: any = new Error(`ml-secrets-guard could not read its policy configuration: ${(e as Error).constructor.name}`);
                err.code = grpc.status.INVALID_ARGUMENT;
                err.details = err.message;
                callback(err);
                return;
            }
        }
        return impl.configure(call, callback);
    };
    return wrapped;
}

/**
 * Installs the hook on the grpc-js that @pulumi/policy uses. Must run before `new PolicyPack(...)`.
 * `validator` receives each Configure request (policy name -> level and properties) and returns problems.
 */
export function installEngineHook(validator?: typeof configValidator): void {
    if (installed) return;
    const sdkVersion = installedPolicySdkVersion();
    if (sdkVersion !== PINNED_POLICY_SDK) {
        // Fail loudly at start rather than misread the wire: the hook depends on this exact version's internals.
        throw new Error(`ml-secrets-guard requires @pulumi/policy ${PINNED_POLICY_SDK} exactly, found ${sdkVersion}; ` +
            "reinstall the pack's dependencies from its package.json");
    }
    configValidator = validator;
    const policyDir = path.dirname(require.resolve("@pulumi/policy/package.json"));
    const grpc = require(require.resolve("@grpc/grpc-js", { paths: [policyDir] }));
    const analyzerPb = require(require.resolve("@pulumi/pulumi/proto/analyzer_pb", { paths: [policyDir] }));
    const original = grpc.Server.prototype.addService;
    grpc.Server.prototype.addService = function (service: any, impl: any) {
        if (service && service.analyzeStack && service.analyze && impl) {
            impl = wrapImpl(impl, grpc);
            service = fastDeserializers(service, analyzerPb);
        }
        return original.call(this, service, impl);
    };
    installed = true;
}

export class EngineHookError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "EngineHookError";
    }
}

/**
 * Changes whenever the engine sends Configure, the only call that changes what the SDK's getConfig returns; undefined
 * when the hook is not wrapping the SDK's server (policies run outside the engine, as in unit tests).
 */
export function policyConfigVersion(): number | undefined {
    return configureCalls;
}

/** The raw request for the resource being analyzed; throws (an internal error, reported fail-closed) if absent. */
export function rawForAnalyze(urn: string): RawResource {
    const r = analyzing.get(urn);
    if (!r) throw new EngineHookError("raw properties were not captured for this resource");
    return r;
}

export function rawStack(): StackSubject[] {
    if (!stackResources) throw new EngineHookError("raw stack resources were not captured");
    return stackResources;
}

export function capturedStackInfo(): StackInfo | undefined {
    return stackInfo;
}

/**
 * What the hook reads from each Analyzer request, by gRPC method (the request class comes from the service
 * definition), and from the messages nested in them. Moving to a new @pulumi/policy: see DEVELOPERS.md.
 */
const REQUEST_GETTERS: Record<string, string[]> = {
    analyze: ["getUrn", "getProperties", "setProperties", "getProvider"],
    remediate: ["getUrn", "getProperties", "setProperties", "getProvider"],
    analyzeStack: ["getResourcesList", "setResourcesList"],
    configureStack: ["getConfigMap", "getTagsMap", "getStack", "getProject", "getOrganization", "getDryRun", "getConfigSecretKeysList"],
    configure: ["getPolicyconfigMap"],
};
const MESSAGE_GETTERS: Record<string, string[]> = {
    AnalyzerResource: ["getType", "getUrn", "getName", "getProperties", "getProvider", "getParent", "getDependenciesList", "getPropertydependenciesMap"],
    AnalyzerProviderResource: ["getType", "getUrn", "getName", "getProperties"],
    AnalyzerPropertyDependencies: ["getUrnsList"],
    PolicyConfig: ["getEnforcementlevel", "getProperties"],
};

/**
 * Compares the installed @pulumi/policy (and the @pulumi/pulumi protos it loads) with what the hook relies on; each
 * problem says what changed. Empty when the hook's assumptions hold. Run by test/policies/lib/engine-hook.test.ts.
 */
export function sdkShapeProblems(): string[] {
    const problems: string[] = [];
    const policyDir = path.dirname(require.resolve("@pulumi/policy/package.json"));
    const fromPolicy = (m: string) => require(require.resolve(m, { paths: [policyDir] }));
    const service = fromPolicy("@pulumi/pulumi/proto/analyzer_grpc_pb").AnalyzerService ?? {};
    const pb = fromPolicy("@pulumi/pulumi/proto/analyzer_pb");
    for (const m of EXPECTED_METHODS) {
        if (!service[m]) problems.push(`AnalyzerService has no method ${m} any more`);
    }
    for (const [m, getters] of Object.entries(REQUEST_GETTERS)) {
        const type = service[m]?.requestType;
        if (!type) continue;
        const typeName = Object.keys(pb).find((k) => pb[k] === type) ?? "its request type";
        for (const g of getters) {
            if (typeof type.prototype[g] !== "function") problems.push(`AnalyzerService.${m}'s request (${typeName}) has no ${g}() any more`);
        }
    }
    for (const [name, getters] of Object.entries(MESSAGE_GETTERS)) {
        const type = pb[name];
        if (!type) {
            problems.push(`analyzer_pb has no message ${name} any more`);
            continue;
        }
        for (const g of getters) {
            if (typeof type.prototype[g] !== "function") problems.push(`${name} has no ${g}() any more`);
        }
    }
    for (const m of ["analyze", "remediate", "analyzeStack"]) {
        if (service[m] && typeof service[m].requestDeserialize !== "function") problems.push(`AnalyzerService.${m} has no requestDeserialize any more`);
    }
    // The probe encodes messages through their getters: it runs once those are all there.
    if (problems.length === 0) problems.push(...fieldNumberProblems(pb, fromPolicy("google-protobuf/google/protobuf/struct_pb.js").Struct));
    const server = fs.readFileSync(require.resolve("@pulumi/policy/server.js"), "utf8");
    for (const m of EXPECTED_METHODS) {
        if (!new RegExp(`\\b${m}:`).test(server)) problems.push(`@pulumi/policy's server.js no longer registers a ${m} handler in addService`);
    }
    // The hook hands the SDK an AnalyzeStack request without resources (wrapped.analyzeStack): the SDK must read them
    // only through getResourcesList() to run stack policies, and nothing else in the request.
    const stackFn = /function makeAnalyzeStackRpcFun[\s\S]*?\n}\n/.exec(server)?.[0];
    if (!stackFn) problems.push("@pulumi/policy's server.js has no makeAnalyzeStackRpcFun any more (AnalyzeStack handling changed)");
    else {
        const reads = [...new Set(stackFn.match(/\breq\.get\w+/g) ?? [])].sort();
        if (reads.join(",") !== "req.getResourcesList") {
            problems.push(`@pulumi/policy's AnalyzeStack handler reads ${reads.join(", ") || "nothing"} from the request; the hook expects req.getResourcesList only`);
        }
    }
    return problems;
}

/**
 * The field numbers fastDeserializers reads the bytes by, checked against the installed protos: messages encoded by
 * google-protobuf must read back the same through wire-decode.ts.
 */
function fieldNumberProblems(pb: any, Struct: any): string[] {
    const problems: string[] = [];
    try {
        const req = new pb.AnalyzeRequest();
        req.setProperties(Struct.fromJavaScript({ probe: "analyze" }));
        req.setUrn("urn:probe");
        const bytes = Buffer.from(req.serializeBinary());
        const [props] = splitField(bytes, ANALYZE_PROPERTIES_FIELD).spans;
        if (!props || decodeStruct(bytes, props.start, props.end).probe !== "analyze") {
            problems.push(`AnalyzeRequest.properties is no longer field ${ANALYZE_PROPERTIES_FIELD}`);
        }
        const res = new pb.AnalyzerResource();
        res.setType("t");
        res.setUrn("u");
        res.setName("n");
        res.setParent("p");
        res.setDependenciesList(["d"]);
        res.setProperties(Struct.fromJavaScript({ probe: "stack" }));
        const stack = new pb.AnalyzeStackRequest();
        stack.setResourcesList([res]);
        const sb = Buffer.from(stack.serializeBinary());
        const [span] = splitField(sb, STACK_RESOURCES_FIELD).spans;
        const head = span && resourceHead(sb, span.start, span.end);
        const read = head && [head.type, head.urn, head.name, head.parent, head.dependencies.join(), head.properties && decodeStruct(sb, head.properties.start, head.properties.end).probe];
        if (JSON.stringify(read) !== JSON.stringify(["t", "u", "n", "p", "d", "stack"])) {
            problems.push("AnalyzeStackRequest.resources or AnalyzerResource's type, properties, urn, name, parent or dependencies moved to other field numbers");
        }
    } catch (e) {
        problems.push(`the request bytes no longer read back through wire-decode.ts: ${(e as Error).message}`);
    }
    return problems;
}

/** Fails loudly when the installed @pulumi/policy is not the version this hook was written against. */
export function selfTest(): string[] {
    const problems: string[] = [];
    const version = installedPolicySdkVersion();
    if (version !== PINNED_POLICY_SDK) {
        problems.push(`@pulumi/policy is ${version}; the engine hook is written for ${PINNED_POLICY_SDK}`);
    }
    if (!installed) problems.push("engine hook is not installed");
    return problems;
}

/** For tests: raw value of one property path. */
export type { Wire };
