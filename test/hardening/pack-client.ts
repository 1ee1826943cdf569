// Drives the real pack process over the Analyzer gRPC protocol, as the Pulumi CLI (and checker/engine/analyzer.ts)
// does: the pack is started by checker/engine/pack.ts startPack, properties are marshalled by
// checker/engine/marshal.ts (secrets kept, unknowns kept, "__" keys dropped except in Remediate).
import * as path from "path";
import { marshalProperties } from "../../checker/engine/marshal";
import { grpcOf, ownPulumiDir, packEnvironment, readPolicyProject, RunningPack, startEngineServer, startPack, EngineServer } from "../../checker/engine/pack";
import { loadYamlModule } from "../../checker/runner/project";
import { repoRoot } from "../helpers/check";
import { StackSubject } from "../../policies/lib/rule";
import { WireObject } from "../../policies/lib/wire";
import { Emitted } from "./harness";
import { defaultResourceOptions, stackResourceMessage } from "../../checker/engine/messages";

const LEVELS = ["advisory", "mandatory", "disabled", "remediate"];

export interface PackOptions {
    packDir?: string;
    project: string;
    stack: string;
    dryRun: boolean;
    config: Record<string, string>;
    secretKeys: string[];
}

export class PackClient {
    private constructor(
        private readonly engine: EngineServer,
        readonly pack: RunningPack,
        private readonly client: any,
        private readonly pb: any,
        private readonly struct: any,
        private readonly empty: any,
        readonly grpc: any,
        private readonly logs: string[],
    ) {}

    static async start(o: PackOptions): Promise<PackClient> {
        const pulumiDir = ownPulumiDir();
        const logs: string[] = [];
        const engine = await startEngineServer(pulumiDir, (l) => logs.push(l));
        const project = readPolicyProject(o.packDir ?? repoRoot(), loadYamlModule());
        const env = packEnvironment({ config: o.config, project: o.project, stack: o.stack, organization: "organization", dryRun: o.dryRun });
        const pack = await startPack(project, engine.address, env, () => undefined);
        const grpc = grpcOf(pulumiDir);
        const rpc = require(path.join(pulumiDir, "proto", "analyzer_grpc_pb"));
        const pb = require(path.join(pulumiDir, "proto", "analyzer_pb"));
        const struct = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [pulumiDir] }));
        const empty = require(require.resolve("google-protobuf/google/protobuf/empty_pb", { paths: [pulumiDir] }));
        const client = new rpc.AnalyzerClient(`127.0.0.1:${pack.port}`, grpc.credentials.createInsecure(), {
            "grpc.max_receive_message_length": 400 * 1024 * 1024,
            "grpc.max_send_message_length": 400 * 1024 * 1024,
        });
        const c = new PackClient(engine, pack, client, pb, struct, empty, grpc, logs);
        const cs = new pb.AnalyzerStackConfigureRequest();
        cs.setStack(o.stack);
        cs.setProject(o.project);
        cs.setOrganization("organization");
        cs.setDryRun(o.dryRun);
        for (const [k, v] of Object.entries(o.config)) cs.getConfigMap().set(k, v);
        cs.setConfigSecretKeysList(o.secretKeys);
        await c.call("configureStack", cs);
        await c.call("getPluginInfo", new empty.Empty());
        return c;
    }

    /** Everything the pack wrote to stderr, and what it logged through the engine. */
    output(): string {
        return this.pack.stderr() + "\n" + this.logs.join("\n");
    }

    alive(): boolean {
        return this.pack.process.exitCode === null && this.pack.process.signalCode === null;
    }

    call<T>(method: string, req: unknown): Promise<T> {
        return new Promise((resolve, reject) => {
            this.client[method](req, (err: any, resp: T) => (err ? reject(err) : resolve(resp)));
        });
    }

    async policies(): Promise<{ name: string; enforcementLevel: string }[]> {
        const info: any = await this.call("getAnalyzerInfo", new this.empty.Empty());
        return info.getPoliciesList().map((p: any) => ({ name: p.getName(), enforcementLevel: LEVELS[p.getEnforcementlevel()] }));
    }

    /** Configure with raw policy config (name -> level and properties); rejects with the pack's gRPC error. */
    configure(cfg: Record<string, { enforcementLevel: string; properties: Record<string, unknown> }>): Promise<unknown> {
        const req = new this.pb.ConfigureAnalyzerRequest();
        for (const [name, e] of Object.entries(cfg)) {
            const pc = new this.pb.PolicyConfig();
            pc.setEnforcementlevel(LEVELS.indexOf(e.enforcementLevel));
            pc.setProperties(this.struct.Struct.fromJavaScript(e.properties));
            req.getPolicyconfigMap().set(name, pc);
        }
        return this.call("configure", req);
    }

    private request(r: { urn: string; type: string; name: string; props: WireObject; provider?: StackSubject["provider"]; parent?: string }, skipInternalKeys: boolean): any {
        const req = new this.pb.AnalyzeRequest();
        req.setUrn(r.urn);
        req.setType(r.type);
        req.setName(r.name);
        req.setProperties(this.struct.Struct.fromJavaScript(marshalProperties(r.props, { skipInternalKeys })));
        req.setOptions(this.options(r.parent, true));
        if (r.provider) req.setProvider(this.provider(r.provider));
        return req;
    }

    /** Resource options as the engine sends them (the SDK refuses requests without). */
    private options(parent: string | undefined, withParent: boolean): any {
        return defaultResourceOptions(this.pb, withParent ? parent : undefined);
    }

    private provider(p: NonNullable<StackSubject["provider"]>): any {
        const pr = new this.pb.AnalyzerProviderResource();
        pr.setUrn(p.urn);
        pr.setType(p.type);
        pr.setName(p.name);
        pr.setProperties(this.struct.Struct.fromJavaScript(marshalProperties(p.props, { skipInternalKeys: true })));
        return pr;
    }

    private diagnostics(list: any[], phase: Emitted["phase"], defaultUrn?: string): Emitted[] {
        return list.map((d: any) => ({
            policy: d.getPolicyname(), text: d.getMessage(), kind: "finding" as const, urn: d.getUrn() || defaultUrn,
            level: LEVELS[d.getEnforcementlevel()], phase,
        }));
    }

    private notApplicable(list: any[], phase: Emitted["phase"], urn?: string): Emitted[] {
        return list.map((n: any) => ({ policy: n.getPolicyName(), text: n.getReason(), kind: "notApplicable" as const, urn, level: "none", phase }));
    }

    async analyze(r: StackSubject): Promise<Emitted[]> {
        const resp: any = await this.call("analyze", this.request(r, true));
        return [...this.diagnostics(resp.getDiagnosticsList(), "analyze", r.urn), ...this.notApplicable(resp.getNotApplicableList(), "analyze", r.urn)];
    }

    /** Remediate keeps "__" keys, as the engine does. Returns texts only (diagnostics and not-applicable reasons). */
    async remediate(r: StackSubject): Promise<Emitted[]> {
        const resp: any = await this.call("remediate", this.request(r, false));
        const out: Emitted[] = this.notApplicable(resp.getNotApplicableList(), "remediate", r.urn);
        for (const rem of resp.getRemediationsList()) {
            if (rem.getDiagnostic()) out.push({ policy: rem.getPolicyname(), text: rem.getDiagnostic(), kind: "finding", urn: r.urn, level: "advisory", phase: "remediate" });
        }
        return out;
    }

    async analyzeStack(rs: StackSubject[]): Promise<Emitted[]> {
        const req = new this.pb.AnalyzeStackRequest();
        for (const r of rs) {
            req.addResources(stackResourceMessage(this.pb, {
                urn: r.urn, type: r.type, name: r.name,
                properties: this.struct.Struct.fromJavaScript(marshalProperties(r.props, { skipInternalKeys: true })),
                options: this.options(r.parent, false), provider: r.provider ? this.provider(r.provider) : undefined,
                parent: r.parent, dependencies: r.dependencies, propertyDependencies: r.propertyDependencies,
            }));
        }
        const resp: any = await this.call("analyzeStack", req);
        return [...this.diagnostics(resp.getDiagnosticsList(), "analyzeStack"), ...this.notApplicable(resp.getNotApplicableList(), "analyzeStack")];
    }

    stop(): void {
        try {
            this.client.close();
        } finally {
            this.pack.kill();
            this.engine.stop();
        }
    }
}
