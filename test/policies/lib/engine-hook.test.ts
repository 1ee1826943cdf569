import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import {
    fastDeserializers, installedPolicySdkVersion, installEngineHook, PINNED_POLICY_SDK, rawForAnalyze, rawOfRequest, rawStack, sdkShapeProblems,
    selfTest, stackSubjects,
} from "../../../policies/lib/engine-hook";
import { SECRET_SIG, SIG_KEY, UNKNOWN_STRING } from "../../../policies/lib/wire";
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

    describe("reads the request bytes itself (fastDeserializers), as the SDK's deserializers would", () => {
        const policyDir = path.dirname(require.resolve("@pulumi/policy/package.json"));
        const service = require(require.resolve("@pulumi/pulumi/proto/analyzer_grpc_pb", { paths: [policyDir] })).AnalyzerService;
        const pb = require(require.resolve("@pulumi/pulumi/proto/analyzer_pb", { paths: [policyDir] }));
        const { Struct } = require(require.resolve("google-protobuf/google/protobuf/struct_pb.js", { paths: [path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [policyDir] }))] }));
        const fast = fastDeserializers(service, pb);
        const props = { password: "hunter2-not-real", tags: { team: "ml" }, list: [1, true, null, { [SIG_KEY]: SECRET_SIG, value: "s" }], role: UNKNOWN_STRING };

        function analyzeBytes(properties: unknown): Buffer {
            const req = new pb.AnalyzeRequest();
            req.setType("aws:lambda/function:Function");
            req.setUrn("urn:pulumi:dev::p::aws:lambda/function:Function::f");
            req.setName("f");
            req.setProperties(Struct.fromJavaScript(properties));
            const opts = new pb.AnalyzerResourceOptions();
            opts.setProtect(true);
            opts.setParent("urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev");
            req.setOptions(opts);
            const provider = new pb.AnalyzerProviderResource();
            provider.setType("pulumi:providers:aws");
            provider.setUrn("urn:pulumi:dev::p::pulumi:providers:aws::default");
            provider.setProperties(Struct.fromJavaScript({ region: "eu-west-1" }));
            req.setProvider(provider);
            return Buffer.from(req.serializeBinary());
        }

        for (const method of ["analyze", "remediate"]) {
            it(`${method}: our policies get the properties as plain values; the SDK gets the request with empty properties`, () => {
                const bytes = analyzeBytes(props);
                const ref = service[method].requestDeserialize(bytes);
                const req = fast[method].requestDeserialize(bytes);
                assert.deepStrictEqual(rawOfRequest(req), { props, provider: rawOfRequest(ref).provider });
                assert.deepStrictEqual(req.getProperties().toJavaScript(), {});
                req.setProperties(ref.getProperties());
                assert.deepStrictEqual(req.toObject(), ref.toObject(), "every other field as the SDK's deserializer reads it");
            });
        }

        it("analyze: bytes it cannot vouch for go to the SDK's deserializer, and the properties are read from its result", () => {
            // A string that is not UTF-8 inside the properties: google-protobuf decodes it its own way.
            const good = analyzeBytes({ k: "ab" });
            const i = good.indexOf(Buffer.from("ab"));
            const bytes = Buffer.from(good);
            bytes[i] = 0xff;
            const req = fast.analyze.requestDeserialize(bytes);
            const ref = service.analyze.requestDeserialize(bytes);
            assert.deepStrictEqual(req.toObject(), ref.toObject());
            assert.deepStrictEqual(rawOfRequest(req).props, ref.getProperties().toJavaScript());
        });

        it("analyzeStack: each resource read from the bytes equals the one google-protobuf decodes", () => {
            const req = new pb.AnalyzeStackRequest();
            req.setResourcesList([0, 1, 2].map((n) => {
                const r = new pb.AnalyzerResource();
                r.setType(n === 0 ? "pulumi:pulumi:Stack" : "aws:s3/bucket:Bucket");
                r.setUrn(`urn:pulumi:dev::p::t::r${n}`);
                r.setName(`r${n}`);
                if (n > 0) r.setParent("urn:pulumi:dev::p::t::r0");
                r.setDependenciesList(n === 2 ? ["urn:pulumi:dev::p::t::r1"] : []);
                if (n !== 1) r.setProperties(Struct.fromJavaScript({ ...props, n }));
                if (n === 2) {
                    const deps = new pb.AnalyzerPropertyDependencies();
                    deps.setUrnsList(["urn:pulumi:dev::p::t::r1"]);
                    r.getPropertydependenciesMap().set("bucket", deps);
                    const provider = new pb.AnalyzerProviderResource();
                    provider.setType("pulumi:providers:aws");
                    provider.setProperties(Struct.fromJavaScript({ region: "eu-west-1" }));
                    r.setProvider(provider);
                }
                return r;
            }));
            const bytes = Buffer.from(req.serializeBinary());
            const fromBytes = fast.analyzeStack.requestDeserialize(bytes);
            assert.strictEqual(fromBytes.getResourcesList().length, 0, "the SDK is handed no resources");
            const view = (subjects: ReturnType<typeof stackSubjects>) => subjects.map((s) => ({
                type: s.type, urn: s.urn, name: s.name, parent: s.parent, dependencies: s.dependencies, props: s.props,
                provider: s.provider, propertyDependencies: s.propertyDependencies,
            }));
            const want = view(stackSubjects(service.analyzeStack.requestDeserialize(bytes)));
            assert.deepStrictEqual(view(stackSubjects(fromBytes)), want);
            assert.deepStrictEqual(want[2].propertyDependencies, { bucket: ["urn:pulumi:dev::p::t::r1"] });
            assert.deepStrictEqual(want[1].props, {});
        });
    });

    it("names a request field the bytes are no longer read by", () => {
        const policyDir = path.dirname(require.resolve("@pulumi/policy/package.json"));
        const pb = require(require.resolve("@pulumi/pulumi/proto/analyzer_pb", { paths: [policyDir] }));
        const write = pb.AnalyzerResource.serializeBinaryToWriter;
        try {
            // The name written as field 14 instead of 4: what a renumbered proto would send.
            pb.AnalyzerResource.serializeBinaryToWriter = (message: any, writer: any) => {
                const name = message.getName();
                message.setName("");
                write(message, writer);
                writer.writeString(14, name);
            };
            assert.deepStrictEqual(sdkShapeProblems(), [
                "AnalyzeStackRequest.resources or AnalyzerResource's type, properties, urn, name, parent or dependencies moved to other field numbers",
            ]);
        } finally {
            pb.AnalyzerResource.serializeBinaryToWriter = write;
        }
        assert.deepStrictEqual(sdkShapeProblems(), []);
    });

    it("fails closed when nothing was captured: policies then report an internal error instead of passing", () => {
        assert.throws(() => rawForAnalyze("urn:pulumi:dev::p::aws:s3/bucket:Bucket::never-analyzed"), /not captured/);
        assert.throws(() => rawStack(), /not captured/);
    });
});
