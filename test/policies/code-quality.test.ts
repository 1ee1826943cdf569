// Code quality of every registered policy, in the spirit of pulumi/compliance-policies' assertCodeQuality: one file
// per policy named after it (source, pure rule, tests), a docs row and a README mention, and no number in the
// policy's `checks`/`remediationSteps` text that the config schema (or the rule's declared constants) does not state.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { POLICY_MODULES } from "../../policies/registry";
import { PolicyMeta, JsonSchema } from "../../policies/lib/rule";

const root = path.resolve(__dirname, "..", "..", ".."); // dist/test/policies -> repo root
const DAY = 86400;

/** Standalone numbers in prose: `90`, `86400s`, `365-day`; not digits inside names or addresses (EC2, P90D, 127.0.0.0/8). */
export function numbersIn(text: string): number[] {
    const out: number[] = [];
    const re = /(?<![\w./:-])(\d+)(?=s\b|-day\b|[^\w./]|\.(?!\d)|$)/g;
    for (const m of text.matchAll(re)) out.push(Number(m[1]));
    return out;
}

function schemaNumbers(schema: JsonSchema | { properties: Record<string, JsonSchema> }, out: Set<number>): void {
    const s = schema as JsonSchema;
    for (const v of [s.default, s.minimum, s.maximum, s.minLength, s.maxLength]) {
        if (typeof v === "number") {
            out.add(v);
            if (v % DAY === 0) out.add(v / DAY); // the same value said in days ("7776000s, 90 days")
        }
    }
    for (const sub of Object.values(s.properties ?? {})) schemaNumbers(sub, out);
    if (s.items) schemaNumbers(s.items, out);
}

/** The numbers a policy's prose may use: its schema's defaults and bounds, and the numeric constants its rule exports. */
function allowedNumbers(meta: PolicyMeta): Set<number> {
    const out = new Set<number>([0]); // zero is "off"/"unset" in prose ("missing or 0"), never a setting
    schemaNumbers(meta.configSchema, out);
    const rule = path.join(root, "dist", "policies", "rules", `${meta.name}.js`);
    const exported = require(rule) as Record<string, unknown>;
    for (const v of Object.values(exported)) {
        if (typeof v === "number") {
            out.add(v);
            if (v % DAY === 0) out.add(v / DAY);
        }
    }
    return out;
}

/** Every module a compiled file loads, following relative requires: for the pure-rule contract (no @pulumi at run time). */
function loadedModules(file: string, seen = new Set<string>()): Set<string> {
    if (seen.has(file)) return seen;
    seen.add(file);
    for (const m of fs.readFileSync(file, "utf8").matchAll(/require\("([^"]+)"\)/g)) {
        const spec = m[1];
        if (spec.startsWith(".")) loadedModules(require.resolve(path.resolve(path.dirname(file), spec)), seen);
        else seen.add(spec);
    }
    return seen;
}

function strayNumbers(meta: PolicyMeta): number[] {
    const allowed = allowedNumbers(meta);
    return numbersIn(`${meta.checks}\n${meta.remediationSteps}`).filter((n) => !allowed.has(n));
}

describe("code quality of every registered policy (one definition per policy)", () => {
    const docs = fs.readFileSync(path.join(root, "docs", "policies.md"), "utf8");
    const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");

    it("registers 14 distinct policies", () => {
        const names = POLICY_MODULES.map((m) => m.meta.name);
        assert.strictEqual(new Set(names).size, names.length);
        assert.ok(names.length >= 14, `only ${names.length} policies registered`);
    });

    for (const m of POLICY_MODULES) {
        const name = m.meta.name;
        describe(name, () => {
            it("has one file per concern, named after the policy: source, pure rule, and their tests", () => {
                for (const f of [`policies/${name}.ts`, `policies/rules/${name}.ts`, `test/policies/${name}.test.ts`, `test/policies/rules/${name}.test.ts`]) {
                    assert.ok(fs.existsSync(path.join(root, f)), `${f} is missing`);
                }
                assert.strictEqual(m.policy.name, name, "the registered policy's name equals its metadata name");
            });
            it("has a pure rule: nothing it loads at run time is a @pulumi module (types come in with `import type`)", () => {
                const loaded = [...loadedModules(path.join(root, "dist", "policies", "rules", `${name}.js`))];
                assert.deepStrictEqual(loaded.filter((x) => x.startsWith("@pulumi/")), []);
                assert.ok(loaded.some((x) => x.includes(`${path.sep}lib${path.sep}`) || x.includes(`${path.sep}detection${path.sep}`)), "the walk follows the rule's imports");
            });
            it("has a row in docs/policies.md and is named in the README", () => {
                assert.ok(docs.split("\n").some((l) => l.startsWith(`| \`${name}\` |`)), "no row in docs/policies.md");
                assert.ok(readme.includes(`\`${name}\``), "README.md does not mention it");
            });
            it("states no number in checks/remediationSteps that its schema or rule constants do not", () => {
                assert.deepStrictEqual(strayNumbers(m.meta), [], "numbers written by hand in the policy's text");
            });
        });
    }

    it("the number check can fail: a hand-written period that is no default or bound is caught", () => {
        const [aws] = POLICY_MODULES.filter((m) => m.meta.name === "aws-kms-key-rotation");
        assert.deepStrictEqual(numbersIn("within 90 days, 86400s, a 365-day default; not EC2, P90D or 127.0.0.0/8."), [90, 86400, 365]);
        assert.deepStrictEqual(strayNumbers({ ...aws.meta, checks: `${aws.meta.checks} Rotate every 180 days.` }), [180]);
    });
});
