// The `--policy-config FILE` file, in the format of `pulumi preview --policy-pack-config`: a JSON object whose keys
// are policy names or "all", each value an enforcement level string or `{ enforcementLevel?, ...properties }`.
// Reconciled the way the Pulumi CLI does it (pkg/resource/analyzer: parsePolicyPackConfig, CreateConfigWithDefaults,
// ReconcilePolicyPackConfig, ValidatePolicyPackConfig): every policy starts from its default level and its schema's
// property defaults; "all" sets the level of every policy (only the level: its properties are not per-policy
// settings); a policy's own entry overrides the level and overlays its properties (top-level keys replace).
// The result is validated per policy with a real JSON-schema validator (ajv).
//
// Errors never echo a config value (policy config can hold allowlisted secrets' hashes or patterns): they name the
// file, the policy and the field, and state schema facts (expected type, allowed values).
import * as fs from "fs";
import { childField, fieldFromPointer } from "../policies/lib/field-path";
import { EnforcementLevel, PolicyConfigEntry, PolicyInfo } from "./types";
import { PolicyConfigError } from "./errors";

export { PolicyConfigError };

export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

function isLevel(v: unknown): v is EnforcementLevel {
    return typeof v === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(v);
}

function typeOf(v: unknown): string {
    if (v === null) return "null";
    if (Array.isArray(v)) return "array";
    return typeof v;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
    return typeOf(v) === "object";
}

/** Names from the file are shown (they are keys, not values), but cut short and with control characters made visible. */
function showName(name: string): string {
    const cut = name.length > 100 ? `${name.slice(0, 100)}...` : name;
    return JSON.stringify(cut);
}

const LEVELS_TEXT = ENFORCEMENT_LEVELS.map((l) => `"${l}"`).join(", ");

// ---------------------------------------------------------------------------------------------------------------
// Reading the file

/**
 * Locates the first JSON syntax error in `text`, for a message that says where without quoting the content.
 * Only called after JSON.parse has failed (V8's own messages quote the surrounding text).
 */
export function locateJsonError(text: string): { offset: number; problem: string } {
    let i = 0;
    const fail = (problem: string, at = i): never => {
        throw { offset: at, problem };
    };
    const ws = () => {
        while (i < text.length && " \t\n\r".includes(text[i])) i++;
    };
    const expectEnd = (what: string) => {
        if (i >= text.length) fail(`unexpected end of input, expected ${what}`);
    };
    const str = () => {
        i++; // opening quote
        for (;;) {
            if (i >= text.length) fail("unterminated string");
            const c = text.charCodeAt(i);
            if (c === 0x22) {
                i++;
                return;
            }
            if (c < 0x20) fail("control character in string (must be escaped)");
            if (c === 0x5c) {
                const e = text[i + 1];
                if (e === undefined) fail("unterminated string");
                if ('"\\/bfnrt'.includes(e)) i += 2;
                else if (e === "u") {
                    if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail("bad \\u escape in string");
                    i += 6;
                } else fail("bad escape in string");
            } else i++;
        }
    };
    const num = () => {
        const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i));
        if (!m || m[0] === "" || m[0] === "-") fail("invalid number");
        i += m![0].length;
    };
    const value = (depth: number): void => {
        if (depth > 10000) fail("nesting too deep");
        ws();
        expectEnd("a value");
        const c = text[i];
        if (c === "{") {
            i++;
            ws();
            if (text[i] === "}") {
                i++;
                return;
            }
            for (;;) {
                ws();
                expectEnd("a property name");
                if (text[i] !== '"') fail("expected a double-quoted property name");
                str();
                ws();
                expectEnd("':'");
                if (text[i] !== ":") fail("expected ':' after property name");
                i++;
                value(depth + 1);
                ws();
                expectEnd("',' or '}'");
                if (text[i] === ",") {
                    i++;
                    continue;
                }
                if (text[i] === "}") {
                    i++;
                    return;
                }
                fail("expected ',' or '}' after property value");
            }
        } else if (c === "[") {
            i++;
            ws();
            if (text[i] === "]") {
                i++;
                return;
            }
            for (;;) {
                value(depth + 1);
                ws();
                expectEnd("',' or ']'");
                if (text[i] === ",") {
                    i++;
                    continue;
                }
                if (text[i] === "]") {
                    i++;
                    return;
                }
                fail("expected ',' or ']' after array element");
            }
        } else if (c === '"') str();
        else if (c === "-" || (c >= "0" && c <= "9")) num();
        else if (text.startsWith("true", i)) i += 4;
        else if (text.startsWith("false", i)) i += 5;
        else if (text.startsWith("null", i)) i += 4;
        else fail("unexpected character, expected a value");
    };
    try {
        value(0);
        ws();
        if (i < text.length) fail("unexpected content after the JSON value");
        return { offset: text.length, problem: "invalid JSON" };
    } catch (e) {
        if (e && typeof e === "object" && "offset" in e) return e as { offset: number; problem: string };
        throw e;
    }
}

function lineCol(text: string, offset: number): { line: number; column: number } {
    let line = 1;
    let lineStart = 0;
    for (let k = 0; k < offset && k < text.length; k++) {
        if (text[k] === "\n") {
            line++;
            lineStart = k + 1;
        }
    }
    return { line, column: offset - lineStart + 1 };
}

/**
 * Reads and parses a policy config file. Returns undefined for an empty (whitespace-only) file, as the Pulumi CLI
 * does. Errors name the file and, for bad JSON, the line, column and offset, never the content.
 */
export function readPolicyConfigFile(file: string): unknown {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        const err = e as NodeJS.ErrnoException;
        const why =
            err.code === "ENOENT"
                ? "no such file"
                : err.code === "EACCES" || err.code === "EPERM"
                  ? "permission denied"
                  : err.code === "EISDIR"
                    ? "it is a directory"
                    : err.code ?? "read error";
        throw new PolicyConfigError(`cannot read policy config file ${file}: ${why}`);
    }
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.trim() === "") return undefined;
    try {
        return JSON.parse(text);
    } catch {
        const { offset, problem } = locateJsonError(text);
        const { line, column } = lineCol(text, offset);
        throw new PolicyConfigError(
            `policy config file ${file} is not valid JSON: ${problem} at line ${line}, column ${column} (position ${offset})`,
        );
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Reconciling and validating

interface AjvError {
    instancePath: string;
    keyword: string;
    message?: string;
    params: Record<string, unknown>;
}

/** `/allowlist/0/urn` -> `allowlist[0].urn`: the pack's own path style, from the one formatter both use. */
export const fieldPath = fieldFromPointer;

function describeAjvError(e: AjvError): { field: string; problem: string } {
    const base = fieldPath(e.instancePath);
    const join = (child: string) => childField(base, child);
    switch (e.keyword) {
        case "required":
            return { field: join(String(e.params.missingProperty)), problem: "is required" };
        case "additionalProperties":
            return { field: join(String(e.params.additionalProperty)), problem: "is not a known setting" };
        case "enum": {
            const allowed = (e.params.allowedValues as unknown[] | undefined) ?? [];
            return { field: base || "(config)", problem: `must be one of ${allowed.map((v) => JSON.stringify(v)).join(", ")}` };
        }
        default:
            // ajv's default messages state schema facts only ("must be string", "must be >= 1", "must match pattern
            // ..."), never the data value.
            return { field: base || "(config)", problem: e.message ?? `fails "${e.keyword}"` };
    }
}

export interface AjvLike {
    compile(schema: object): ((data: unknown) => boolean) & { errors?: AjvError[] | null };
}

function newAjv(): AjvLike {
    // ajv is a devDependency: load it only when a config is built, so the published pack never needs it.
    const mod = require("ajv");
    const Ajv = mod.default ?? mod;
    return new Ajv({ allErrors: true, strict: false, validateFormats: false });
}

export interface ConfigFieldProblem {
    field: string;
    problem: string;
}

/**
 * The checker's validation of one policy's settings, as the Pulumi CLI does it: ajv over the policy's schema (as the
 * pack declares it) plus `enforcementLevel`. Unknown top-level settings pass here, as in the CLI; the pack reports
 * them itself. Throws when ajv cannot compile the schema. test/checker/config-validators.test.ts proves it agrees
 * with the pack's own validator (policies/lib/config-schema.ts).
 */
export function policyValidator(
    configSchema: PolicyInfo["configSchema"],
    ajv: AjvLike = newAjv(),
): (properties: Record<string, unknown>, level: unknown) => ConfigFieldProblem[] {
    const schema = {
        type: "object",
        properties: {
            ...((configSchema?.properties ?? {}) as Record<string, unknown>),
            enforcementLevel: { type: "string", enum: [...ENFORCEMENT_LEVELS] },
        },
        ...(configSchema?.required && configSchema.required.length > 0 ? { required: configSchema.required } : {}),
    };
    const validate = ajv.compile(schema);
    return (properties, level) => (validate({ ...properties, enforcementLevel: level }) ? [] : (validate.errors ?? []).map(describeAjvError));
}

function clone<T>(v: T): T {
    return v === undefined ? v : JSON.parse(JSON.stringify(v));
}

/**
 * The per-policy config to send in Configure. Every policy gets an entry: its level (policy default, then `all`,
 * then its own entry) and its properties (schema defaults overlaid with the file's). Throws PolicyConfigError
 * listing every problem as `<policy>: <field path>: <problem>`.
 */
export function buildPolicyConfig(policies: PolicyInfo[], file: unknown | undefined): Record<string, PolicyConfigEntry> {
    const problems: string[] = [];
    const given = new Map<string, { level?: unknown; hasLevel: boolean; properties: Record<string, unknown> }>();

    if (file !== undefined && file !== null) {
        if (!isPlainObject(file)) {
            throw new PolicyConfigError(
                `policy config must be a JSON object mapping policy names (or "all") to an enforcement level or a settings object, got ${typeOf(file)}`,
            );
        }
        const known = new Set(policies.map((p) => p.name));
        const unknown = Object.keys(file).filter((k) => k !== "all" && !known.has(k));
        if (unknown.length > 0) {
            const names = policies.map((p) => p.name).sort();
            throw new PolicyConfigError(
                `policy config names unknown ${unknown.length === 1 ? "policy" : "policies"} ${unknown.map(showName).join(", ")}; ` +
                    `known policies: ${names.join(", ")} (or "all")`,
            );
        }
        for (const [key, value] of Object.entries(file)) {
            if (typeof value === "string") {
                if (!isLevel(value)) problems.push(`${key}: enforcementLevel: must be one of ${LEVELS_TEXT}`);
                given.set(key, { level: value, hasLevel: true, properties: {} });
            } else if (isPlainObject(value)) {
                const { enforcementLevel, ...properties } = value;
                const hasLevel = Object.prototype.hasOwnProperty.call(value, "enforcementLevel");
                given.set(key, { level: enforcementLevel, hasLevel, properties });
                if (key === "all" && hasLevel && !isLevel(enforcementLevel)) {
                    problems.push(
                        `all: enforcementLevel: must be one of ${LEVELS_TEXT}${typeof enforcementLevel === "string" ? "" : `, got ${typeOf(enforcementLevel)}`}`,
                    );
                }
            } else {
                problems.push(`${key}: must be an enforcement level string (${LEVELS_TEXT}) or an object, got ${typeOf(value)}`);
            }
        }
    }

    const all = given.get("all");
    const allLevel = all && all.hasLevel && isLevel(all.level) ? all.level : undefined;

    const ajv = newAjv();
    const result: Record<string, PolicyConfigEntry> = {};
    for (const p of policies) {
        const schemaProps = (p.configSchema?.properties ?? {}) as Record<string, Record<string, unknown>>;
        const properties: Record<string, unknown> = {};
        for (const [k, s] of Object.entries(schemaProps)) {
            if (s && typeof s === "object" && s.default !== undefined) properties[k] = clone(s.default);
        }
        let level: unknown = allLevel ?? p.enforcementLevel;
        const own = given.get(p.name);
        if (own) {
            if (own.hasLevel) level = own.level;
            Object.assign(properties, own.properties);
        }

        let validate: (props: Record<string, unknown>, level: unknown) => ConfigFieldProblem[];
        try {
            validate = policyValidator(p.configSchema, ajv);
        } catch (e) {
            problems.push(`${p.name}: the pack's config schema for this policy is invalid: ${(e as Error).message.split("\n")[0]}`);
            continue;
        }
        // A level given as a bare string was checked above: validate with the default instead, so each problem is
        // reported once. A level inside an object entry is validated here, with the properties.
        const bareString = own !== undefined && typeof (file as Record<string, unknown>)[p.name] === "string";
        const checkLevel = bareString ? p.enforcementLevel : level;
        for (const { field, problem } of validate(properties, checkLevel)) problems.push(`${p.name}: ${field}: ${problem}`);
        result[p.name] = { enforcementLevel: (isLevel(level) ? level : p.enforcementLevel) as EnforcementLevel, properties };
    }

    if (problems.length > 0) {
        const unique = [...new Set(problems)];
        throw new PolicyConfigError(
            `invalid policy config (${unique.length} problem${unique.length === 1 ? "" : "s"}):\n${unique.map((x) => `  - ${x}`).join("\n")}`,
        );
    }
    return result;
}
