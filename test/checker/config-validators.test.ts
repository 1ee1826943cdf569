// The pack validates its policy config with a small hand-written validator (policies/lib/config-schema.ts); the
// checker, like the Pulumi CLI, with a real JSON-schema validator (ajv, checker/policy-config.ts policyValidator).
// This property test generates configs for every policy's schema, valid and invalid (wrong types, out-of-range and
// fractional numbers, bad enum values, pattern mismatches, extra properties, over-long strings with astral
// characters, prototype-named keys), and asserts that both accept and reject the same ones, naming the same fields.
// The one intended difference: an unknown top-level setting passes ajv (the CLI's schema has no
// additionalProperties) and the pack reports it itself.
import * as assert from "assert";
import fc from "fast-check";
import { policyValidator } from "../../checker/policy-config";
import { schemaOf } from "../../policies/lib/adapter";
import { resolveConfig } from "../../policies/lib/config-schema";
import { childField } from "../../policies/lib/field-path";
import { JsonSchema } from "../../policies/lib/rule";
import { POLICY_MODULES } from "../../policies/registry";

const SEED = 20261202;
const TOTAL_RUNS = 11200;
const RUNS = Math.ceil(TOTAL_RUNS / POLICY_MODULES.length);

const ODD_KEYS = ["__proto__", "constructor", "toString", "hasOwnProperty", "a b", "0", "", "enforcementLevel2"];
const anyKey = fc.oneof(fc.constantFrom(...ODD_KEYS), fc.string({ maxLength: 8 }));
const anyJson: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 2 });

function strings(s: JsonSchema): fc.Arbitrary<string> {
    const parts: fc.Arbitrary<string>[] = [fc.string({ maxLength: 12 }), fc.string({ unit: "binary", maxLength: 6 })];
    if (s.enum) parts.push(fc.constantFrom(...(s.enum.filter((e) => typeof e === "string") as string[])));
    if (s.pattern) {
        const re = new RegExp(s.pattern);
        parts.push(fc.stringMatching(re));
        // Near misses: a valid string with a character added, removed or replaced.
        parts.push(fc.tuple(fc.stringMatching(re), fc.nat(70), fc.string({ unit: "binary", minLength: 1, maxLength: 1 })).map(([v, i, c]) => {
            const at = i % (v.length + 1);
            return i % 3 === 0 ? v.slice(0, at) + c + v.slice(at) : i % 3 === 1 ? v.slice(0, at) + v.slice(at + 1) : v.slice(0, at) + c + v.slice(at + 1);
        }));
    }
    if (s.maxLength !== undefined || s.minLength !== undefined) {
        const n = s.maxLength ?? s.minLength!;
        // Around the limit, in UTF-16 units and in code points (astral characters count once in JSON Schema).
        parts.push(fc.tuple(fc.integer({ min: Math.max(0, n - 2), max: n + 2 }), fc.constantFrom("x", "\u{1F600}", "é")).map(([k, c]) => c.repeat(k)));
        parts.push(fc.tuple(fc.integer({ min: Math.max(0, n - 2), max: n }), fc.integer({ min: 0, max: 3 })).map(([k, a]) => "x".repeat(k) + "\u{1F600}".repeat(a)));
    }
    return fc.oneof(...parts);
}

function numbers(s: JsonSchema): fc.Arbitrary<number> {
    const edges = [s.minimum, s.maximum].filter((v): v is number => v !== undefined).flatMap((v) => [v - 1, v, v + 1, v - 0.5, v + 0.5]);
    const parts: fc.Arbitrary<number>[] = [fc.integer({ min: -10, max: 10_000_000 }), fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 })];
    if (edges.length) parts.push(fc.constantFrom(...edges));
    if (typeof s.default === "number") parts.push(fc.constant(s.default));
    return fc.oneof(...parts);
}

/** Values for one schema: mostly of its type (valid or near-valid), sometimes anything at all. */
function valueFor(s: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
    let typed: fc.Arbitrary<unknown>;
    switch (s.type) {
        case "string": typed = strings(s); break;
        case "number":
        case "integer": typed = numbers(s); break;
        case "boolean": typed = fc.boolean(); break;
        case "array": typed = fc.array(s.items && depth < 3 ? valueFor(s.items, depth + 1) : anyJson, { maxLength: 3 }); break;
        case "object": typed = objectFor(s, depth); break;
        default: typed = anyJson;
    }
    return fc.oneof({ arbitrary: typed, weight: 6 }, { arbitrary: anyJson, weight: 1 });
}

function objectFor(s: { properties?: Record<string, JsonSchema> }, depth: number): fc.Arbitrary<Record<string, unknown>> {
    const props = s.properties ?? {};
    const known = fc.record(Object.fromEntries(Object.entries(props).map(([k, sub]) => [k, valueFor(sub, depth + 1)])), { requiredKeys: [] });
    const extra = fc.oneof({ arbitrary: fc.constant({}), weight: 4 }, { arbitrary: fc.dictionary(anyKey, anyJson, { maxKeys: 2 }), weight: 1 });
    return fc.tuple(known, extra).map(([k, e]) => ({ ...e, ...k }));
}

function packFields(schema: ReturnType<typeof schemaOf>, config: Record<string, unknown>): string[] {
    return [...new Set(resolveConfig(schema, config).problems.map((p) => p.field))].sort();
}

function ajvFields(validate: ReturnType<typeof policyValidator>, schema: ReturnType<typeof schemaOf>, config: Record<string, unknown>, level: string): string[] {
    const fields = validate(config, level).map((p) => p.field);
    // The intended difference: unknown top-level settings, which the pack reports and the CLI's schema lets through.
    for (const k of Object.keys(config)) {
        if (k !== "enforcementLevel" && !Object.prototype.hasOwnProperty.call(schema.properties, k)) fields.push(childField("", k));
    }
    return [...new Set(fields)].sort();
}

describe(`config validators: the pack's and ajv agree on every policy's schema (fast-check, seed ${SEED}, ${RUNS * POLICY_MODULES.length} configs)`, function () {
    this.timeout(120000);
    let accepted = 0;
    let rejected = 0;

    for (const m of POLICY_MODULES) {
        it(`${m.meta.name}: accept and reject the same configs, naming the same fields`, () => {
            const schema = schemaOf(m.meta);
            const validate = policyValidator(schema);
            const configs = objectFor({ properties: schema.properties as Record<string, JsonSchema> }, 0)
                .map((c) => JSON.parse(JSON.stringify(c)) as Record<string, unknown>); // as JSON, so `__proto__` is an own key
            fc.assert(fc.property(configs, (config) => {
                const pack = packFields(schema, config);
                const ajv = ajvFields(validate, schema, config, m.meta.enforcementLevel);
                if (pack.length === 0) accepted++;
                else rejected++;
                assert.deepStrictEqual(pack, ajv);
            }), { seed: SEED, numRuns: RUNS });
        });
    }

    it("generated both valid and invalid configs in quantity (the comparison is not vacuous)", () => {
        assert.ok(accepted + rejected >= 10000, `${accepted + rejected} configs`);
        assert.ok(accepted >= 1000 && rejected >= 1000, `accepted ${accepted}, rejected ${rejected}`);
    });
});
