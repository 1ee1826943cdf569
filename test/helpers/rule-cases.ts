// Table-driven testing of pure resource/stack rules: good and bad examples as data, each run through the rule,
// with the invariants every rule keeps (never throws, a message for each finding, no planted value in messages).
import * as assert from "assert";
import * as fc from "fast-check";
import { isNotApplicable, Outcome, ResourceSubject, StackSubject } from "../../policies/lib/rule";
import {
    SECRET_SIG, SIG_KEY, UNKNOWN_ARRAY, UNKNOWN_BOOL, UNKNOWN_NUMBER, UNKNOWN_OBJECT, UNKNOWN_STRING, Wire, WireObject,
} from "../../policies/lib/wire";

export const secret = (value: Wire): Wire => ({ [SIG_KEY]: SECRET_SIG, value });
export { UNKNOWN_ARRAY, UNKNOWN_BOOL, UNKNOWN_NUMBER, UNKNOWN_OBJECT, UNKNOWN_STRING };

export function urnOf(type: string, name: string): string {
    return `urn:pulumi:dev::ml::${type}::${name}`;
}

export function subject(type: string, props: WireObject, name = "subject"): ResourceSubject {
    return { type, urn: urnOf(type, name), name, props };
}

export function stackSubject(type: string, name: string, props: WireObject, propertyDependencies: Record<string, string[]> = {}): StackSubject {
    return { type, urn: urnOf(type, name), name, props, dependencies: Object.values(propertyDependencies).flat(), propertyDependencies };
}

export type Expect = "pass" | "fail" | "na";

export function verdict(o: Outcome): Expect {
    if (isNotApplicable(o)) return "na";
    return (o as { findings: unknown[] }).findings.length ? "fail" : "pass";
}

export function messages(o: Outcome): string[] {
    return isNotApplicable(o) ? [] : (o as { findings: { message: string }[] }).findings.map((f) => f.message);
}

export interface Case {
    name: string;
    props: WireObject;
    expect: Expect;
    /** Each must match some finding message (fail) or the not-applicable reason (na). */
    match?: RegExp[];
    /** Number of findings expected (fail). */
    count?: number;
    type?: string;
    /** Strings that must never appear in any message (planted values). */
    never?: string[];
}

/** Checks one outcome against a case: verdict, messages, invariants. */
export function assertCase(c: Case, o: Outcome): void {
    assert.strictEqual(verdict(o), c.expect, `${c.name}: expected ${c.expect}, got ${JSON.stringify(o)}`);
    const texts = isNotApplicable(o) ? [o.notApplicable] : messages(o);
    for (const m of texts) {
        assert.ok(typeof m === "string" && m.length > 0, `${c.name}: empty message`);
        for (const n of c.never ?? []) assert.ok(!m.includes(n), `${c.name}: message contains a planted value`);
    }
    for (const re of c.match ?? []) {
        assert.ok(texts.some((t) => re.test(t)), `${c.name}: no message matches ${re}: ${JSON.stringify(texts)}`);
    }
    if (c.count !== undefined) assert.strictEqual(messages(o).length, c.count, `${c.name}: finding count`);
}

export function runCases(title: string, type: string, cases: Case[], rule: (s: ResourceSubject) => Outcome): void {
    describe(title, () => {
        for (const c of cases) {
            it(`${c.expect}: ${c.name}`, () => {
                const s = subject(c.type ?? type, c.props, "res");
                assertCase(c, rule(s));
            });
        }
    });
}

/** Arbitrary wire values: scalars, unknown sentinels, secret wrappers, references, nested arrays/objects. */
export function wireArb(keys: string[]): fc.Arbitrary<Wire> {
    const leaf: fc.Arbitrary<Wire> = fc.oneof(
        fc.constant(null), fc.boolean(), fc.double({ noNaN: false }), fc.integer(), fc.string(),
        fc.constantFrom<Wire>(UNKNOWN_STRING, UNKNOWN_BOOL, UNKNOWN_NUMBER, UNKNOWN_ARRAY, UNKNOWN_OBJECT, "true", "false", "0", "-1",
            "P90D", "P1Y", "7776000s", "rotate", "Deny", "Disabled", "http://10.0.0.1:8200", "https://v", "SYMMETRIC_DEFAULT", "alias/aws/x"),
    );
    const { tree } = fc.letrec<{ tree: Wire }>((tie) => ({
        tree: fc.oneof(
            { depthSize: "small", withCrossShrink: true },
            leaf,
            fc.array(tie("tree"), { maxLength: 3 }),
            fc.dictionary(fc.constantFrom(...keys), tie("tree"), { maxKeys: 4 }),
            tie("tree").map((v) => secret(v)),
        ),
    }));
    return tree;
}

/** Property: the rule never throws and always returns a well-formed outcome, whatever the props hold. */
export function neverThrows(type: string, keys: string[], rule: (s: ResourceSubject) => Outcome, extra?: (s: ResourceSubject) => unknown): void {
    it("never throws on arbitrary wire shapes (fast-check)", () => {
        fc.assert(fc.property(fc.dictionary(fc.constantFrom(...keys), wireArb(keys), { maxKeys: 6 }), (props) => {
            const s = subject(type, props as WireObject, "fuzz");
            const o = rule(s);
            const v = verdict(o);
            assert.ok(v === "pass" || v === "fail" || v === "na");
            for (const m of messages(o)) assert.ok(typeof m === "string" && m.length > 0);
            extra?.(s);
        }), { numRuns: 400 });
    });
}
