// User-pattern vetting (policies/detection/extra-patterns.ts).
import * as assert from "assert";
import { backtrackingRisk, compileExtraPatterns } from "../../../policies/detection/extra-patterns";

describe("detection/extra-patterns: compileExtraPatterns", () => {
    it("accepts ordinary bounded patterns", () => {
        const { compiled, errors } = compileExtraPatterns([
            { id: "acme", pattern: "acme_[A-Za-z0-9]{32}" },
            { id: "corp-token", pattern: "(?:corp|CORP)-tok-[0-9a-f]{16,64}" },
            { id: "internal", pattern: "\\bINT-[A-Z0-9]{8}\\b" },
        ]);
        assert.deepStrictEqual(errors, []);
        assert.deepStrictEqual(compiled.map((c) => c.id), ["acme", "corp-token", "internal"]);
    });

    it("rejects invalid and catastrophic patterns, naming only the pattern id", () => {
        const bad = [
            { id: "invalid", pattern: "([a-z" },
            { id: "nested-plus", pattern: "(a+)+$" },
            { id: "nested-star", pattern: "(?:\\w*x)*y" },
            { id: "nested-brace", pattern: "(?:[a-z]{1,9}){2,}!" },
            { id: "alt-overlap", pattern: "(a|ab)*c" },
            { id: "backref", pattern: "(a*)\\1b" },
            { id: "quadratic", pattern: "a.*b.*c.*d" },
            { id: "empty-match", pattern: "x*" },
        ];
        const { compiled, errors } = compileExtraPatterns(bad);
        assert.deepStrictEqual(compiled, []);
        assert.strictEqual(errors.length, bad.length);
        for (const [i, e] of errors.entries()) {
            assert.ok(e.includes(bad[i].id), `error ${i} names its id`);
            assert.ok(!e.includes(bad[i].pattern), `error ${i} does not echo the pattern`);
        }
    });

    it("rejects bad ids and duplicates, including built-in detector ids", () => {
        const { compiled, errors } = compileExtraPatterns([
            { id: "Bad Id", pattern: "abc[0-9]{4}" },
            { id: "github-token", pattern: "abc[0-9]{4}" },
            { id: "dup", pattern: "abc[0-9]{4}" },
            { id: "dup", pattern: "def[0-9]{4}" },
        ]);
        assert.deepStrictEqual(compiled.map((c) => c.id), ["dup"]);
        assert.strictEqual(errors.length, 3);
    });

    it("backtrackingRisk flags nesting but not flat quantifiers", () => {
        assert.ok(backtrackingRisk("(a+)+"));
        assert.ok(backtrackingRisk("((ab)*c)+"));
        assert.strictEqual(backtrackingRisk("(abc)+d"), undefined);
        assert.strictEqual(backtrackingRisk("[a-z]+_[0-9]{4}"), undefined);
        assert.strictEqual(backtrackingRisk("(?:ab|cd){2}x"), undefined);
    });
});
