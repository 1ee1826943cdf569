import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { installedPolicySdkVersion, installEngineHook, PINNED_POLICY_SDK, rawForAnalyze, rawStack, sdkShapeProblems, selfTest } from "../../../policies/lib/engine-hook";
import { POLICY_MODULES } from "../../../policies/registry";
import { repoRoot } from "../../helpers/check";

describe("engine hook (recovers raw wire props from @pulumi/policy internals)", () => {
    it("is written for the @pulumi/policy version package.json pins exactly, and that version is installed", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot(), "package.json"), "utf8"));
        assert.strictEqual(pkg.dependencies["@pulumi/policy"], PINNED_POLICY_SDK, "pin @pulumi/policy to an exact version");
        assert.strictEqual(installedPolicySdkVersion(), PINNED_POLICY_SDK);
    });

    it("reports itself healthy once installed", () => {
        installEngineHook();
        assert.deepStrictEqual(selfTest(), []);
    });

    it("finds in the installed @pulumi/policy every service method, request getter and AnalyzeStack read it relies on", () => {
        const problems = sdkShapeProblems();
        assert.deepStrictEqual(problems, [], `@pulumi/policy changed under the engine hook (see DEVELOPERS.md, "Moving to a new @pulumi/policy"):\n  ${problems.join("\n  ")}`);
    });

    it("names what changed when a method or a request getter disappears", () => {
        const policyDir = path.dirname(require.resolve("@pulumi/policy/package.json"));
        const service = require(require.resolve("@pulumi/pulumi/proto/analyzer_grpc_pb", { paths: [policyDir] })).AnalyzerService;
        const pb = require(require.resolve("@pulumi/pulumi/proto/analyzer_pb", { paths: [policyDir] }));
        const method = service.configureStack;
        const getter = pb.AnalyzerResource.prototype.getPropertydependenciesMap;
        const urn = pb.AnalyzeRequest.prototype.getUrn;
        try {
            delete service.configureStack;
            delete pb.AnalyzerResource.prototype.getPropertydependenciesMap;
            delete pb.AnalyzeRequest.prototype.getUrn;
            assert.deepStrictEqual(sdkShapeProblems(), [
                "AnalyzerService has no method configureStack any more",
                "AnalyzerService.analyze's request (AnalyzeRequest) has no getUrn() any more",
                "AnalyzerService.remediate's request (AnalyzeRequest) has no getUrn() any more",
                "AnalyzerResource has no getPropertydependenciesMap() any more",
            ]);
        } finally {
            service.configureStack = method;
            pb.AnalyzerResource.prototype.getPropertydependenciesMap = getter;
            pb.AnalyzeRequest.prototype.getUrn = urn;
        }
        assert.deepStrictEqual(sdkShapeProblems(), []);
    });

    it("keeps every stack policy untyped: the SDK is handed no AnalyzeStack resources, so a typed one would be skipped", () => {
        const { getPulumiType } = require("@pulumi/policy/policy");
        for (const m of POLICY_MODULES) {
            const p = m.policy as { name: string; validateStack?: unknown };
            if (p.validateStack) assert.strictEqual(getPulumiType(p.validateStack), undefined, `${p.name}: validateStack has a Pulumi type`);
        }
    });

    it("fails closed when nothing was captured: policies then report an internal error instead of passing", () => {
        assert.throws(() => rawForAnalyze("urn:pulumi:dev::p::aws:s3/bucket:Bucket::never-analyzed"), /not captured/);
        assert.throws(() => rawStack(), /not captured/);
    });
});
