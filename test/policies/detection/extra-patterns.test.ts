// User-pattern vetting (policies/detection/extra-patterns.ts).
import * as assert from "assert";
import {
    backtrackingRisk, compileExtraPatterns, EXTRA_PATTERN_ID_PATTERN, EXTRA_PATTERN_MAX_LENGTH, ExtraPattern,
} from "../../../policies/detection/extra-patterns";
import { DETECTORS } from "../../../policies/detection/detectors";
import { KEY_DETECTORS } from "../../../policies/detection/scan";
import { resolveConfig } from "../../../policies/lib/config-schema";
import { meta as hardcodedMeta } from "../../../policies/no-hardcoded-secrets";

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

describe("detection/extra-patterns: one statement of the limits (the config schema and the vetting agree)", () => {
    const schema = hardcodedMeta.configSchema.properties;
    const entry = schema.extraPatterns.items!.properties!;
    const resolve = (raw: unknown) => resolveConfig<{ extraPatterns: ExtraPattern[]; disabledDetectors: string[] }>(hardcodedMeta.configSchema, raw);

    it("the schema states the id pattern and maximum pattern length that compileExtraPatterns enforces", () => {
        assert.strictEqual(entry.id.pattern, EXTRA_PATTERN_ID_PATTERN);
        assert.strictEqual(entry.pattern.maxLength, EXTRA_PATTERN_MAX_LENGTH);
    });

    it("accepts and rejects the same ids and pattern lengths as the schema, at the limits", () => {
        const cases: ExtraPattern[] = [
            { id: "a".repeat(64), pattern: "zq[0-9]{8}" },
            { id: "a".repeat(65), pattern: "zq[0-9]{8}" },
            { id: "ok-len", pattern: "zq" + "x".repeat(EXTRA_PATTERN_MAX_LENGTH - 2) },
            { id: "too-long", pattern: "zq" + "x".repeat(EXTRA_PATTERN_MAX_LENGTH - 1) },
            { id: "-leading-dash", pattern: "zq[0-9]{8}" },
        ];
        for (const c of cases) {
            const bySchema = resolve({ extraPatterns: [c] }).problems.length === 0;
            const byCode = compileExtraPatterns([c]).errors.length === 0;
            assert.strictEqual(byCode, bySchema, `${c.id.slice(0, 12)}… (${c.pattern.length} chars)`);
        }
        assert.deepStrictEqual(cases.map((c) => compileExtraPatterns([c]).errors.length === 0), [true, false, true, false, false]);
    });

    it("disabledDetectors is an enum of every detector id (table and key rules), and an unknown id is a config problem", () => {
        const ids = schema.disabledDetectors.items!.enum as string[];
        assert.deepStrictEqual([...ids].sort(), [...DETECTORS.map((d) => d.id), ...KEY_DETECTORS.map((d) => d.id)].sort());
        assert.deepStrictEqual(resolve({ disabledDetectors: ["secret-sink", "jwt"] }).problems, []);
        const bad = resolve({ disabledDetectors: ["secret-sink", "no-such-detector"] });
        assert.deepStrictEqual(bad.problems.map((p) => p.field), ["disabledDetectors[1]"]);
        assert.deepStrictEqual(bad.config.disabledDetectors, [], "an invalid list falls back to the default (nothing disabled)");
    });
});
