// A small, strict JSON-schema validator for the pack's own policy config schemas. The pack validates its config
// itself (the CLI does too, but a pack must never trust that): every problem is named by policy and field, and the
// value is never echoed, since policy config may hold allowlisted secrets' hashes or patterns.
import { JsonSchema } from "./rule";

export interface ConfigProblem {
    field: string;
    problem: string;
}

function typeOf(v: unknown): string {
    if (v === null) return "null";
    if (Array.isArray(v)) return "array";
    return typeof v;
}

export function validateValue(schema: JsonSchema, value: unknown, field: string, out: ConfigProblem[]): void {
    if (schema.type) {
        const t = typeOf(value);
        const ok =
            schema.type === t ||
            (schema.type === "integer" && t === "number" && Number.isInteger(value as number));
        if (!ok) {
            out.push({ field, problem: `must be ${schema.type === "array" || schema.type === "object" || schema.type === "integer" ? "an" : "a"} ${schema.type}, got ${t}` });
            return;
        }
    }
    if (schema.enum && !schema.enum.includes(value as string)) {
        out.push({ field, problem: `must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(", ")}` });
    }
    if (typeof value === "number") {
        if (schema.minimum !== undefined && value < schema.minimum) out.push({ field, problem: `must be >= ${schema.minimum}` });
        if (schema.maximum !== undefined && value > schema.maximum) out.push({ field, problem: `must be <= ${schema.maximum}` });
    }
    if (typeof value === "string") {
        if (schema.minLength !== undefined && value.length < schema.minLength) out.push({ field, problem: `must be at least ${schema.minLength} characters` });
        if (schema.maxLength !== undefined && value.length > schema.maxLength) out.push({ field, problem: `must be at most ${schema.maxLength} characters` });
        if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) out.push({ field, problem: `must match ${schema.pattern}` });
    }
    if (Array.isArray(value) && schema.items) {
        value.forEach((e, i) => validateValue(schema.items!, e, `${field}[${i}]`, out));
    }
    if (typeOf(value) === "object" && schema.properties) {
        const obj = value as Record<string, unknown>;
        for (const k of Object.keys(obj)) {
            const sub = schema.properties[k];
            if (sub) validateValue(sub, obj[k], `${field}.${k}`, out);
            else if (schema.additionalProperties === false) out.push({ field: `${field}.${k}`, problem: "is not a known setting" });
        }
    }
}

/**
 * Validates a policy's config (as @pulumi/policy's getConfig returns it, enforcementLevel removed) and returns
 * the config to run with: defaults filled in, and every invalid field replaced by its default so the policy still
 * runs at full strength while the problem is reported.
 */
export function resolveConfig<C>(
    schema: { properties: Record<string, JsonSchema>; required?: string[] },
    raw: unknown,
): { config: C; problems: ConfigProblem[] } {
    const problems: ConfigProblem[] = [];
    const input = typeOf(raw) === "object" ? (raw as Record<string, unknown>) : {};
    if (raw !== undefined && raw !== null && typeOf(raw) !== "object") {
        problems.push({ field: "(config)", problem: `must be an object, got ${typeOf(raw)}` });
    }
    const out: Record<string, unknown> = {};
    for (const [k, s] of Object.entries(schema.properties)) {
        if (s.default !== undefined) out[k] = JSON.parse(JSON.stringify(s.default));
    }
    for (const k of Object.keys(input)) {
        if (k === "enforcementLevel") continue;
        const s = schema.properties[k];
        if (!s) {
            problems.push({ field: k, problem: "is not a known setting" });
            continue;
        }
        const before = problems.length;
        validateValue(s, input[k], k, problems);
        if (problems.length === before) out[k] = input[k];
    }
    for (const r of schema.required ?? []) {
        if (out[r] === undefined) problems.push({ field: r, problem: "is required" });
    }
    return { config: out as C, problems };
}

