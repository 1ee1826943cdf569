import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { installedPolicySdkVersion, installEngineHook, PINNED_POLICY_SDK, rawForAnalyze, rawStack, selfTest } from "../../../policies/lib/engine-hook";
import { repoRoot } from "../../helpers/check";

describe("engine hook (recovers raw wire props from @pulumi/policy internals)", () => {
    it("is written for the @pulumi/policy version package.json pins exactly, and that version is installed", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot(), "package.json"), "utf8"));
        assert.strictEqual(pkg.dependencies["@pulumi/policy"], PINNED_POLICY_SDK, "pin @pulumi/policy to an exact version");
        assert.strictEqual(installedPolicySdkVersion(), PINNED_POLICY_SDK);
    });

    it("reports itself healthy once installed, and the analyzer service still has the methods it wraps", () => {
        installEngineHook();
        assert.deepStrictEqual(selfTest(), []);
        const rpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
        for (const m of ["analyze", "analyzeStack", "remediate", "configure", "configureStack", "getAnalyzerInfo", "getPluginInfo"]) {
            assert.ok(rpc.AnalyzerService[m], `AnalyzerService.${m}`);
        }
        // @pulumi/policy's server registers exactly these handlers (the hook refuses to wrap anything less).
        const server = fs.readFileSync(require.resolve("@pulumi/policy/server.js"), "utf8");
        for (const m of ["analyze:", "analyzeStack:", "remediate:", "getAnalyzerInfo:", "getPluginInfo:", "configure:", "configureStack:"]) {
            assert.ok(server.includes(m), `server.js registers ${m}`);
        }
    });

    it("fails closed when nothing was captured: policies then report an internal error instead of passing", () => {
        assert.throws(() => rawForAnalyze("urn:pulumi:dev::p::aws:s3/bucket:Bucket::never-analyzed"), /not captured/);
        assert.throws(() => rawStack(), /not captured/);
    });
});
