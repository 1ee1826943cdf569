// Drives a policy pack over the Analyzer gRPC protocol in the Pulumi CLI's order: Handshake, ConfigureStack,
// GetPluginInfo, GetAnalyzerInfo, Configure, then per resource (registration order) Remediate (only when a policy
// is at `remediate`) and Analyze, and finally AnalyzeStack over every resource's outputs.
import * as path from "path";
import { buildPolicyConfig } from "../policy-config";
import { changedProperties, remediationMessage } from "../remediation";
import { CapturedResource, RunResult } from "../runner/types";
import { Diagnostic, EnforcementLevel, PackInfo, PolicyConfigEntry, PolicyInfo } from "../types";
import { marshalProperties } from "./marshal";
import { stackResourceMessage } from "./messages";
import { grpcOf, PolicyProject } from "./pack";
import { PolicyRunError } from "../errors";

export { PolicyRunError };

const LEVELS: EnforcementLevel[] = ["advisory", "mandatory", "disabled", "remediate"];
const LEVEL_ENUM: Record<EnforcementLevel, number> = { advisory: 0, mandatory: 1, disabled: 2, remediate: 3 };
const SEVERITIES = [undefined, "low", "medium", "high", "critical"];

function levelOf(n: number): EnforcementLevel {
    const l = LEVELS[n];
    if (!l) throw new PolicyRunError(`invalid enforcement level ${n}`);
    return l;
}

interface Protos {
    grpc: any;
    rpc: any;
    pb: any;
    struct: any;
    empty: any;
}

function loadProtos(pulumiDir: string): Protos {
    return {
        grpc: grpcOf(pulumiDir),
        rpc: require(path.join(pulumiDir, "proto", "analyzer_grpc_pb")),
        pb: require(path.join(pulumiDir, "proto", "analyzer_pb")),
        struct: require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [pulumiDir] })),
        empty: require(require.resolve("google-protobuf/google/protobuf/empty_pb", { paths: [pulumiDir] })),
    };
}

export interface AnalysisOptions {
    run: RunResult;
    policy: PolicyProject;
    port: number;
    engineAddress: string;
    /** Parsed --policy-config file, if any. */
    policyConfigFile?: unknown;
    tags: Record<string, string>;
    /** The @pulumi/pulumi whose protos and grpc-js the client uses. */
    pulumiDir: string;
}

export interface AnalysisResult {
    pack: PackInfo;
    diagnostics: Diagnostic[];
    /** Remediated inputs by URN (what the engine would deploy). */
    remediated: Record<string, Record<string, unknown>>;
}

export async function runAnalysis(o: AnalysisOptions): Promise<AnalysisResult> {
    const p = loadProtos(o.pulumiDir);
    const client = new p.rpc.AnalyzerClient(`127.0.0.1:${o.port}`, p.grpc.credentials.createInsecure(), {
        "grpc.max_receive_message_length": 400 * 1024 * 1024,
        "grpc.max_send_message_length": 400 * 1024 * 1024,
    });
    const call = <T>(method: string, req: unknown): Promise<T> =>
        new Promise((resolve, reject) => {
            client[method](req, (err: any, resp: T) => (err ? reject(err) : resolve(resp)));
        });
    const fail = (what: string, e: any): never => {
        throw new PolicyRunError(`policy pack ${what} failed: ${e?.details || e?.message || String(e)}`);
    };
    const struct = (o2: Record<string, unknown>) => p.struct.Struct.fromJavaScript(o2);

    try {
        // Handshake: errors (notably UNIMPLEMENTED, as @pulumi/policy does not implement it) are tolerated.
        const hs = new p.pb.AnalyzerHandshakeRequest();
        hs.setEngineAddress(o.engineAddress);
        hs.setRootDirectory(o.policy.dir);
        hs.setProgramDirectory(o.policy.dir);
        await call("handshake", hs).catch(() => undefined);

        const cs = new p.pb.AnalyzerStackConfigureRequest();
        cs.setStack(o.run.stack);
        cs.setProject(o.run.project);
        cs.setOrganization(o.run.organization);
        cs.setDryRun(o.run.dryRun);
        for (const [k, v] of Object.entries(o.run.config)) cs.getConfigMap().set(k, v);
        cs.setConfigSecretKeysList(o.run.secretKeys);
        for (const [k, v] of Object.entries(o.tags)) cs.getTagsMap().set(k, v);
        await call("configureStack", cs).catch((e: any) => {
            if (e?.code !== p.grpc.status.UNIMPLEMENTED) fail("ConfigureStack", e);
        });

        await call("getPluginInfo", new p.empty.Empty()).catch((e) => fail("GetPluginInfo", e));
        const info: any = await call("getAnalyzerInfo", new p.empty.Empty()).catch((e) => fail("GetAnalyzerInfo", e));
        const pack = packInfoOf(info, o.policy.version);

        // Every policy gets its level and its schema defaults, overlaid with the --policy-config file.
        const policyConfig: Record<string, PolicyConfigEntry> = buildPolicyConfig(pack.policies, o.policyConfigFile);
        const cfgReq = new p.pb.ConfigureAnalyzerRequest();
        for (const [name, entry] of Object.entries(policyConfig)) {
            const pc = new p.pb.PolicyConfig();
            pc.setEnforcementlevel(LEVEL_ENUM[entry.enforcementLevel]);
            pc.setProperties(struct(entry.properties ?? {}));
            cfgReq.getPolicyconfigMap().set(name, pc);
        }
        if (Object.keys(policyConfig).length) {
            await call("configure", cfgReq).catch((e) => fail("Configure", e));
        }
        const anyRemediate = Object.values(policyConfig).some((c) => c.enforcementLevel === "remediate");

        const byUrn = new Map(o.run.resources.map((r) => [r.urn, r]));
        const providerOf = (r: CapturedResource): any => {
            if (!r.provider) return undefined;
            const i = r.provider.lastIndexOf("::");
            const prov = byUrn.get(i > 0 ? r.provider.slice(0, i) : r.provider);
            if (!prov) return undefined;
            const pr = new p.pb.AnalyzerProviderResource();
            pr.setUrn(prov.urn);
            pr.setType(prov.type);
            pr.setName(prov.name);
            pr.setProperties(struct(marshalProperties(prov.inputs, { skipInternalKeys: true })));
            return pr;
        };
        const optionsOf = (r: CapturedResource, withParent: boolean): any => {
            const op = new p.pb.AnalyzerResourceOptions();
            op.setProtect(r.options.protect);
            op.setIgnorechangesList(r.options.ignoreChanges);
            op.setDeletebeforereplace(!!r.options.deleteBeforeReplace);
            op.setDeletebeforereplacedefined(r.options.deleteBeforeReplace !== undefined);
            op.setAdditionalsecretoutputsList(r.options.additionalSecretOutputs);
            op.setAliasesList(r.options.aliases);
            const ct = new p.pb.AnalyzerResourceOptions.CustomTimeouts();
            ct.setCreate(r.options.customTimeouts.create);
            ct.setUpdate(r.options.customTimeouts.update);
            ct.setDelete(r.options.customTimeouts.delete);
            op.setCustomtimeouts(ct);
            if (withParent) op.setParent(r.parent);
            return op;
        };
        const analyzeRequest = (r: CapturedResource, inputs: Record<string, unknown>, skipInternalKeys: boolean): any => {
            const req = new p.pb.AnalyzeRequest();
            req.setUrn(r.urn);
            req.setType(r.type);
            req.setName(r.name);
            req.setProperties(struct(marshalProperties(inputs, { skipInternalKeys })));
            req.setOptions(optionsOf(r, true));
            const prov = providerOf(r);
            if (prov) req.setProvider(prov);
            return req;
        };

        const diagnostics: Diagnostic[] = [];
        const remediated: Record<string, Record<string, unknown>> = {};
        for (const r of o.run.resources) {
            if (r.read) continue;
            if (anyRemediate) {
                const resp: any = await call("remediate", analyzeRequest(r, r.inputs, false)).catch((e) => fail(`Remediate(${r.urn})`, e));
                for (const rem of resp.getRemediationsList()) {
                    const version = o.policy.version || rem.getPolicypackversion();
                    if (rem.getDiagnostic()) {
                        diagnostics.push({
                            policyName: rem.getPolicyname(), policyPackName: rem.getPolicypackname(), policyPackVersion: version,
                            enforcementLevel: "advisory", urn: r.urn, message: rem.getDiagnostic(),
                            description: rem.getDescription() || undefined, phase: "remediate",
                        });
                    } else if (rem.getProperties()) {
                        const before = r.inputs;
                        const after = rem.getProperties().toJavaScript() as Record<string, unknown>;
                        r.inputs = after;
                        // Outputs follow the new inputs; computed outputs stay.
                        const computed: Record<string, unknown> = {};
                        for (const [k, v] of Object.entries(r.outputs)) if (!(k in before)) computed[k] = v;
                        if (r.custom) r.outputs = { ...after, ...computed };
                        remediated[r.urn] = after;
                        diagnostics.push({
                            policyName: rem.getPolicyname(), policyPackName: rem.getPolicypackname(), policyPackVersion: version,
                            enforcementLevel: "remediate", urn: r.urn,
                            message: remediationMessage(changedProperties(before, after)),
                            description: rem.getDescription() || undefined, phase: "remediate",
                        });
                    }
                }
            }
            const resp: any = await call("analyze", analyzeRequest(r, r.inputs, true)).catch((e) => fail(`Analyze(${r.urn})`, e));
            for (const d of resp.getDiagnosticsList()) {
                const diag = diagnosticOf(d, o.policy.version, "analyze");
                // The engine reports every per-resource diagnostic against the resource being analyzed and
                // downgrades `remediate` to mandatory (a remediation ran and the violation remains).
                diag.urn = r.urn;
                if (diag.enforcementLevel === "remediate") diag.enforcementLevel = "mandatory";
                diagnostics.push(diag);
            }
        }

        const stackReq = new p.pb.AnalyzeStackRequest();
        const root = o.run.resources.find((r) => r.type === "pulumi:pulumi:Stack" && !r.parent);
        for (const r of o.run.resources) {
            stackReq.addResources(stackResourceMessage(p.pb, {
                urn: r.urn, type: r.type, name: r.name,
                properties: struct(marshalProperties(r.outputs, { skipInternalKeys: true })),
                options: optionsOf(r, false), provider: providerOf(r), parent: r.parent,
                dependencies: r.dependencies, propertyDependencies: r.propertyDependencies,
            }));
        }
        const stackResp: any = await call("analyzeStack", stackReq).catch((e: any) => {
            if (e?.code === p.grpc.status.UNIMPLEMENTED) return undefined;
            return fail("AnalyzeStack", e);
        });
        for (const d of stackResp?.getDiagnosticsList() ?? []) {
            const diag = diagnosticOf(d, o.policy.version, "analyzeStack");
            if (diag.enforcementLevel === "remediate") diag.enforcementLevel = "mandatory";
            // A URN naming a resource of the stack is kept; otherwise the engine uses the root stack's.
            if (!diag.urn || !byUrn.has(diag.urn)) diag.urn = root?.urn;
            diagnostics.push(diag);
        }
        return { pack, diagnostics, remediated };
    } finally {
        client.close();
    }
}

function diagnosticOf(d: any, yamlVersion: string | undefined, phase: Diagnostic["phase"]): Diagnostic {
    const severity = SEVERITIES[d.getSeverity?.() ?? 0];
    const diag: Diagnostic = {
        policyName: d.getPolicyname(),
        policyPackName: d.getPolicypackname(),
        policyPackVersion: yamlVersion || d.getPolicypackversion(),
        enforcementLevel: levelOf(d.getEnforcementlevel()),
        message: d.getMessage(),
        phase,
    };
    if (severity) diag.severity = severity;
    if (d.getUrn()) diag.urn = d.getUrn();
    if (d.getDescription()) diag.description = d.getDescription();
    return diag;
}

function packInfoOf(info: any, yamlVersion: string | undefined): PackInfo {
    const policies: PolicyInfo[] = info.getPoliciesList().map((pi: any) => {
        const out: PolicyInfo = {
            name: pi.getName(),
            description: pi.getDescription(),
            enforcementLevel: levelOf(pi.getEnforcementlevel()),
        };
        if (pi.getDisplayname()) out.displayName = pi.getDisplayname();
        const sev = SEVERITIES[pi.getSeverity?.() ?? 0];
        if (sev) out.severity = sev;
        if (pi.getRemediationSteps?.()) out.remediationSteps = pi.getRemediationSteps();
        const fw = pi.getFramework?.();
        if (fw && (fw.getName() || fw.getVersion())) {
            out.framework = { name: fw.getName(), version: fw.getVersion(), reference: fw.getReference(), specification: fw.getSpecification() };
        }
        const schema = pi.getConfigschema();
        if (schema) {
            out.configSchema = {
                properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>,
                required: schema.getRequiredList().length ? schema.getRequiredList() : undefined,
            };
        }
        return out;
    });
    return {
        name: info.getName(),
        version: yamlVersion || info.getVersion(),
        displayName: info.getDisplayname() || undefined,
        supportsConfig: info.getSupportsconfig(),
        policies,
    };
}
