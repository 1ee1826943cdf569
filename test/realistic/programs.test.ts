// The comparison shared by the realistic-programs test and the benchmark: exact matching of diagnostics against
// expected.json entries (no checker runs here), and the loader's validation of every program's expectations.
import * as assert from "assert";
import { Diagnostic } from "../../checker/types";
import { compare, loadPrograms, ProgramSpec, resourceOf } from "./programs";

const URN = "urn:pulumi:dev::proj::";

function diag(policy: string, level: "advisory" | "mandatory", resource: string, detail: string): Diagnostic {
    return {
        policyName: policy, policyPackName: "ml-secrets-guard", policyPackVersion: "0.0.0", enforcementLevel: level,
        urn: URN + resource, message: `Policy description.\n${detail}`, phase: "analyzeStack",
    };
}

function spec(over: Partial<ProgramSpec>): ProgramSpec {
    return { name: "t", dir: "/nowhere", project: "proj", description: "t", planted: {}, secrets: {}, env: {}, expected: [], silent: [], ...over };
}

const FN = "aws:lambda/function:Function::f";
const H = "no-hardcoded-secrets";

describe("realistic programs: the exact comparison", () => {
    it("names the resource by its own type and name, under a parent chain too", () => {
        assert.strictEqual(resourceOf(diag(H, "mandatory", "my:comp:C$aws:lambda/function:Function::f", "x")), FN);
        assert.strictEqual(resourceOf({ ...diag(H, "mandatory", FN, "x"), urn: undefined }), "(none)");
    });

    it("exact when each expected entry has its diagnostic and nothing else fired", () => {
        const s = spec({ expected: [{ policy: H, resource: FN, level: "mandatory", pathContains: "environment.variables.A" }] });
        const c = compare(s, "preview", [diag(H, "mandatory", FN, "property environment.variables.A holds")]);
        assert.deepStrictEqual([c.exact, c.required, c.found, c.missing.length, c.unexpected.length], [true, 1, 1, 0, 0]);
    });

    it("a diagnostic at the wrong path, level or resource is both missing and unexpected", () => {
        const s = spec({ expected: [{ policy: H, resource: FN, level: "mandatory", pathContains: "variables.A" }] });
        for (const d of [diag(H, "mandatory", FN, "property variables.B"), diag(H, "advisory", FN, "property variables.A"),
            diag(H, "mandatory", "aws:lambda/function:Function::g", "property variables.A")]) {
            const c = compare(s, "update", [d]);
            assert.deepStrictEqual([c.exact, c.found, c.missing.length, c.unexpected.length], [false, 0, 1, 1]);
        }
    });

    it("counts slots: two diagnostics for one expected entry is one too many; count 2 takes both", () => {
        const e = { policy: H, resource: FN, level: "mandatory" as const, pathContains: "userData" };
        const ds = [diag(H, "mandatory", FN, "property userData a"), diag(H, "mandatory", FN, "property userData b")];
        assert.strictEqual(compare(spec({ expected: [e] }), "preview", ds).unexpected.length, 1);
        assert.ok(compare(spec({ expected: [{ ...e, count: 2 }] }), "preview", ds).exact);
    });

    it("overlapping expectations do not steal each other's diagnostic (maximum matching)", () => {
        // Entry 1 matches both diagnostics, entry 2 only the first: a greedy first-fit would leave entry 2 missing.
        const s = spec({ expected: [
            { policy: H, resource: FN, level: "mandatory", pathContains: "environment" },
            { policy: H, resource: FN, level: "mandatory", pathContains: "environment[0]" },
        ] });
        const c = compare(s, "preview", [diag(H, "mandatory", FN, "property environment[0].value"), diag(H, "mandatory", FN, "property environment[1].value")]);
        assert.ok(c.exact, JSON.stringify(c.missing));
    });

    it("mode-specific entries apply in their mode only", () => {
        const s = spec({ expected: [{ policy: H, resource: FN, level: "mandatory", pathContains: "value", modes: ["update"] }] });
        assert.ok(compare(s, "preview", []).exact);
        assert.strictEqual(compare(s, "update", []).missing.length, 1);
        assert.strictEqual(compare(s, "preview", [diag(H, "mandatory", FN, "property value")]).unexpected.length, 1);
    });

    it("optional entries may be absent, are not counted for recall, and never take a required entry's diagnostic", () => {
        const s = spec({ expected: [
            { policy: H, resource: FN, level: "advisory", pathContains: "x", optional: true },
            { policy: H, resource: FN, level: "advisory", pathContains: "x" },
        ] });
        assert.deepStrictEqual([compare(s, "preview", []).required, compare(s, "preview", []).missing.length], [1, 1]);
        const one = compare(s, "preview", [diag(H, "advisory", FN, "x")]);
        assert.deepStrictEqual([one.exact, one.found], [true, 1]);
        assert.ok(compare(s, "preview", [diag(H, "advisory", FN, "x"), diag(H, "advisory", FN, "x")]).exact);
        assert.strictEqual(compare(s, "preview", [diag(H, "advisory", FN, "x"), diag(H, "advisory", FN, "x"), diag(H, "advisory", FN, "x")]).unexpected.length, 1);
    });

    it("an unexpected mandatory diagnostic on a value declared silent is reported as such; an advisory one is only unexpected", () => {
        const s = spec({ silent: [{ resource: FN, pathContains: "ROLE_ARN", why: "an ARN" }] });
        const c = compare(s, "preview", [diag(H, "mandatory", FN, "property environment.variables.ROLE_ARN"), diag("p", "advisory", FN, "ROLE_ARN")]);
        assert.deepStrictEqual([c.unexpected.length, c.onSilent.length, c.silentCount], [2, 1, 1]);
    });

    it("every program's expected.json is valid (generators exist, levels, resources, modes) and names its own project's stack", () => {
        const specs = loadPrograms();
        assert.ok(specs.length >= 20);
        for (const s of specs) {
            for (const e of [...s.expected, ...s.silent]) {
                if (e.resource.startsWith("pulumi:pulumi:Stack::")) assert.strictEqual(e.resource, `pulumi:pulumi:Stack::${s.project}-dev`, s.name);
            }
        }
    });
});
