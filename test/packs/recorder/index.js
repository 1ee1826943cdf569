// Records each Analyzer request exactly as it arrives (Struct -> JavaScript, so secret wrappers and unknown
// sentinels are visible) as one JSON line per call, then lets @pulumi/policy handle it unchanged.
"use strict";
const fs = require("fs");
const path = require("path");
const policyDir = path.dirname(require.resolve("@pulumi/policy/package.json"));
const grpc = require(require.resolve("@grpc/grpc-js", { paths: [policyDir] }));
const { PolicyPack } = require("@pulumi/policy");

const out = process.env.MLSG_RECORD_FILE;
function record(method, data) {
    if (out) fs.appendFileSync(out, JSON.stringify({ method, ...data }) + "\n");
}
const js = (s) => (s ? s.toJavaScript() : undefined);
function provider(p) {
    return p ? { urn: p.getUrn(), type: p.getType(), name: p.getName(), properties: js(p.getProperties()) } : undefined;
}
function resource(r) {
    const pd = {};
    if (r.getPropertydependenciesMap) for (const [k, v] of r.getPropertydependenciesMap().entries()) pd[k] = v.getUrnsList();
    const o = r.getOptions();
    return {
        urn: r.getUrn(), type: r.getType(), name: r.getName(), properties: js(r.getProperties()),
        provider: provider(r.getProvider()),
        options: o ? { parent: o.getParent(), protect: o.getProtect(), additionalSecretOutputs: o.getAdditionalsecretoutputsList() } : undefined,
        parent: r.getParent ? r.getParent() : undefined,
        dependencies: r.getDependenciesList ? r.getDependenciesList() : undefined,
        propertyDependencies: r.getPropertydependenciesMap ? pd : undefined,
    };
}
const original = grpc.Server.prototype.addService;
grpc.Server.prototype.addService = function (service, given) {
    let impl = given;
    if (service && service.analyzeStack && given) {
        const impl = given;
        const wrapped = { ...impl };
        wrapped.configureStack = (call, cb) => {
            const q = call.request;
            const config = {};
            q.getConfigMap().forEach((v, k) => (config[k] = v));
            const tags = {};
            q.getTagsMap().forEach((v, k) => (tags[k] = v));
            record("configureStack", {
                stack: q.getStack(), project: q.getProject(), organization: q.getOrganization(), dryRun: q.getDryRun(),
                config, secretKeys: q.getConfigSecretKeysList(), tags,
                env: { PULUMI_CONFIG: process.env.PULUMI_CONFIG, PULUMI_NODEJS_DRY_RUN: process.env.PULUMI_NODEJS_DRY_RUN,
                    PULUMI_DRY_RUN: process.env.PULUMI_DRY_RUN, PULUMI_NODEJS_PROJECT: process.env.PULUMI_NODEJS_PROJECT,
                    PULUMI_STACK: process.env.PULUMI_STACK, cwd: process.cwd() },
            });
            return impl.configureStack(call, cb);
        };
        wrapped.getPluginInfo = (call, cb) => { record("getPluginInfo", {}); return impl.getPluginInfo(call, cb); };
        wrapped.getAnalyzerInfo = (call, cb) => { record("getAnalyzerInfo", {}); return impl.getAnalyzerInfo(call, cb); };
        wrapped.configure = (call, cb) => {
            const cfg = {};
            for (const [k, v] of call.request.getPolicyconfigMap().entries()) {
                cfg[k] = { enforcementLevel: v.getEnforcementlevel(), properties: js(v.getProperties()) };
            }
            record("configure", { config: cfg });
            return impl.configure(call, cb);
        };
        wrapped.analyze = (call, cb) => { record("analyze", resource(call.request)); return impl.analyze(call, cb); };
        wrapped.remediate = (call, cb) => { record("remediate", resource(call.request)); return impl.remediate(call, cb); };
        wrapped.analyzeStack = (call, cb) => {
            record("analyzeStack", { resources: call.request.getResourcesList().map(resource) });
            return impl.analyzeStack(call, cb);
        };
        return original.call(this, service, wrapped);
    }
    return original.call(this, service, impl);
};

function tag(props, key) {
    const t = props && props.tags;
    return t && typeof t === "object" && t[key] !== undefined;
}

new PolicyPack("mlsg-recorder", {
    policies: [
        {
            name: "advisory-tagged",
            description: "Flags resources tagged mlsgAdvisory.",
            enforcementLevel: "advisory",
            validateResource: (args, report) => {
                if (tag(args.props, "mlsgAdvisory")) report("resource carries the mlsgAdvisory tag");
            },
        },
        {
            name: "mandatory-tagged",
            description: "Flags resources tagged mlsgMandatory.",
            enforcementLevel: "mandatory",
            configSchema: { properties: { marker: { type: "string", default: "mlsgMandatory" } } },
            validateResource: (args, report) => {
                const marker = args.getConfig().marker || "mlsgMandatory";
                if (tag(args.props, marker)) report(`resource carries the ${marker} tag`);
            },
        },
        {
            name: "remediate-tag",
            description: "Tags buckets as remediated (only when configured at `remediate`).",
            enforcementLevel: "advisory",
            remediateResource: (args) => {
                if (args.type !== "aws:s3/bucket:Bucket") return undefined;
                return { ...args.props, tags: { ...(args.props.tags || {}), remediated: "yes" } };
            },
        },
        {
            name: "stack-flagged-export",
            description: "Flags a stack export named flagged.",
            enforcementLevel: "advisory",
            validateStack: (args, report) => {
                for (const r of args.resources) {
                    if (r.type === "pulumi:pulumi:Stack" && r.props && r.props.flagged !== undefined) {
                        report("the stack exports `flagged`");
                    }
                }
            },
        },
    ],
});
