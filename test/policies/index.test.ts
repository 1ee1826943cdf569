// The pack's entry point as `pulumi policy publish` starts it: no stack, no ConfigureStack, no PULUMI_CONFIG.
// It must print nothing before its port and describe every policy with the SDK's own metadata fields.
import * as assert from "assert";
import * as path from "path";
import { grpcOf, ownPulumiDir, readPolicyProject, startEngineServer, startPack } from "../../checker/engine/pack";
import { loadYamlModule } from "../../checker/runner/project";
import { POLICY_MODULES } from "../../policies/registry";
import { repoRoot } from "../helpers/check";

describe("policies/index.ts (the pack entry point, started as `pulumi policy publish` does)", function () {
    this.timeout(60000);

    it("starts with no stack, and GetAnalyzerInfo describes every policy: level, severity, remediation, framework, config schema", async () => {
        const pulumiDir = ownPulumiDir();
        const engine = await startEngineServer(pulumiDir, () => undefined);
        const env = { ...process.env };
        for (const k of Object.keys(env)) if (k.startsWith("PULUMI_")) delete env[k];
        const project = readPolicyProject(repoRoot(), loadYamlModule());
        const pack = await startPack(project, engine.address, env, () => undefined);
        try {
            const grpc = grpcOf(pulumiDir);
            const rpc = require(path.join(pulumiDir, "proto", "analyzer_grpc_pb"));
            const empty = require(require.resolve("google-protobuf/google/protobuf/empty_pb", { paths: [pulumiDir] }));
            const client = new rpc.AnalyzerClient(`127.0.0.1:${pack.port}`, grpc.credentials.createInsecure());
            const info: any = await new Promise((resolve, reject) =>
                client.getAnalyzerInfo(new empty.Empty(), (e: unknown, r: unknown) => (e ? reject(e) : resolve(r))));
            client.close();
            assert.strictEqual(info.getName(), "ml-secrets-guard");
            assert.strictEqual(info.getSupportsconfig(), true);
            const policies = info.getPoliciesList();
            assert.deepStrictEqual(policies.map((p: any) => p.getName()).sort(), POLICY_MODULES.map((m) => m.meta.name).sort());
            for (const p of policies) {
                const meta = POLICY_MODULES.find((m) => m.meta.name === p.getName())!.meta;
                assert.ok(p.getSeverity() > 0, `${meta.name}: severity is set`);
                assert.ok(p.getRemediationSteps().length > 20, `${meta.name}: remediationSteps`);
                assert.strictEqual(!!p.getFramework(), !!meta.framework, `${meta.name}: framework`);
                const schema = p.getConfigschema().getProperties().toJavaScript();
                assert.ok(schema.internalErrorLevel, `${meta.name}: the common internalErrorLevel setting`);
            }
            assert.strictEqual(pack.stderr().trim(), "", "nothing on stderr either");
        } finally {
            pack.kill();
            engine.stop();
        }
    });
});
