// Reads a Pulumi project the way the CLI does: Pulumi.yaml for name/runtime/main, Pulumi.<stack>.yaml for the stack's
// config. Secure config cannot be decrypted offline: the caller's --secret value is used, else a deterministic
// stand-in (and a note on stderr says so). Config keys without a namespace get the project's name, as `pulumi config`.
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { UsageError } from "../errors";

export { UsageError };

export interface ProjectInfo {
    dir: string;
    name: string;
    runtime: string;
    main?: string;
    description?: string;
}

export interface StackConfig {
    /** Decrypted config, keys `<namespace>:<key>`, values strings (objects as JSON). */
    values: Record<string, string>;
    secretKeys: string[];
    /** Human notes (e.g. stand-ins used for undecryptable secrets); never contain secret values. */
    notes: string[];
}

export function pulumiPackageDir(programDir: string): string {
    let pkgJson: string;
    try {
        pkgJson = require.resolve("@pulumi/pulumi/package.json", { paths: [programDir] });
    } catch {
        throw new UsageError(`cannot find @pulumi/pulumi from ${programDir}; run npm install there`);
    }
    return path.dirname(pkgJson);
}

/** js-yaml, a declared dependency of this package. */
export function loadYamlModule(): { load(text: string): unknown } {
    return require("js-yaml");
}

/**
 * The one YAML reader for Pulumi.yaml and Pulumi.<stack>.yaml. Errors name the file and the position, never its text
 * (a stack file may hold secrets).
 */
function readYamlFile(what: string, file: string, fail: (message: string) => Error): unknown {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw fail(`cannot read ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? "error"}`);
    }
    try {
        return loadYamlModule().load(text);
    } catch (e) {
        const mark = (e as { mark?: { line?: number; column?: number } }).mark;
        const at = mark && typeof mark.line === "number" ? ` (line ${mark.line + 1}, column ${(mark.column ?? 0) + 1})` : "";
        throw fail(`${what} ${file} is not valid YAML${at}`);
    }
}

function isMapping(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * The `config:` entries of a Pulumi.<stack>.yaml, keys qualified with the project's name as `pulumi config` does: the
 * one reader of stack config files, for `check` (readStackConfig) and `check --state` (readStateConfig).
 */
export function readStackConfigFile(file: string, project: string, fail: (message: string) => Error): Array<[string, unknown]> {
    const doc = readYamlFile("config file", file, fail);
    if (doc !== null && doc !== undefined && !isMapping(doc)) {
        throw fail(`config file ${file} is not a Pulumi.<stack>.yaml (expected a mapping)`);
    }
    const cfg = isMapping(doc) ? doc.config : undefined;
    if (cfg !== undefined && cfg !== null && !isMapping(cfg)) {
        throw fail(`config file ${file}: config must be a mapping`);
    }
    return Object.entries(cfg ?? {}).map(([k, v]) => [qualifyKey(k, project), v]);
}

export function readProject(programDir: string): ProjectInfo {
    const dir = path.resolve(programDir);
    let file = path.join(dir, "Pulumi.yaml");
    if (!fs.existsSync(file)) {
        const alt = path.join(dir, "Pulumi.yml");
        if (!fs.existsSync(alt)) throw new UsageError(`no Pulumi.yaml in ${dir}`);
        file = alt;
    }
    const doc = readYamlFile("project file", file, (m) => new UsageError(m)) as Record<string, unknown> | null;
    if (!doc || typeof doc !== "object" || typeof doc.name !== "string" || !doc.name) {
        throw new UsageError(`${file} has no project name`);
    }
    const rt = doc.runtime;
    const runtime = typeof rt === "string" ? rt : rt && typeof rt === "object" ? String((rt as any).name) : "";
    if (runtime !== "nodejs") {
        throw new UsageError(`${file}: runtime is "${runtime}"; only nodejs programs can be checked`);
    }
    return {
        dir, name: doc.name, runtime,
        main: typeof doc.main === "string" ? doc.main : undefined,
        description: typeof doc.description === "string" ? doc.description : undefined,
    };
}

/** `apiKey` -> `<project>:apiKey`; `aws:region` stays. */
export function qualifyKey(key: string, project: string): string {
    return key.includes(":") ? key : `${project}:${key}`;
}

export function standInFor(key: string): string {
    return "offline-stand-in-" + crypto.createHash("sha256").update(key).digest("hex").slice(0, 12);
}

/** A `secure:` leaf of a Pulumi.<stack>.yaml. */
export function isSecure(v: unknown): boolean {
    return !!v && typeof v === "object" && !Array.isArray(v) && Object.keys(v as object).length === 1 &&
        typeof (v as any).secure === "string";
}

/** Replaces nested `{secure: ...}` leaves (inside object config) by stand-ins; says whether there were any. */
function replaceNestedSecure(v: unknown, key: string, found: { any: boolean }): unknown {
    if (isSecure(v)) {
        found.any = true;
        return standInFor(key);
    }
    if (Array.isArray(v)) return v.map((x, i) => replaceNestedSecure(x, `${key}[${i}]`, found));
    if (v && typeof v === "object") {
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) out[k] = replaceNestedSecure(x, `${key}.${k}`, found);
        return out;
    }
    return v;
}

export interface ConfigOverrides {
    config?: Array<[string, string]>;
    secrets?: Array<[string, string]>;
}

export function readStackConfig(project: ProjectInfo, stack: string, overrides: ConfigOverrides = {}): StackConfig {
    const values: Record<string, string> = {};
    const secret = new Set<string>();
    const notes: string[] = [];
    const cliSecrets = new Map<string, string>();
    for (const [k, v] of overrides.secrets ?? []) cliSecrets.set(qualifyKey(k, project.name), v);

    const file = path.join(project.dir, `Pulumi.${stack}.yaml`);
    if (fs.existsSync(file)) {
        for (const [key, v] of readStackConfigFile(file, project.name, (m) => new UsageError(m))) {
            if (isSecure(v)) {
                secret.add(key);
                if (cliSecrets.has(key)) {
                    values[key] = cliSecrets.get(key)!;
                } else {
                    values[key] = standInFor(key);
                    notes.push(`secret config ${key} cannot be decrypted offline; using a stand-in value (pass --secret ${key}=... to set it)`);
                }
            } else if (v === null || v === undefined) {
                values[key] = "";
            } else if (typeof v === "object") {
                const found = { any: false };
                const replaced = replaceNestedSecure(v, key, found);
                if (found.any) {
                    secret.add(key);
                    notes.push(`secret values inside config ${key} cannot be decrypted offline; using stand-in values`);
                }
                values[key] = JSON.stringify(replaced);
            } else {
                values[key] = String(v);
            }
        }
    }
    for (const [k, v] of overrides.config ?? []) {
        const key = qualifyKey(k, project.name);
        values[key] = v;
        secret.delete(key);
    }
    for (const [key, v] of cliSecrets) {
        values[key] = v;
        secret.add(key);
    }
    return { values, secretKeys: [...secret].sort(), notes };
}
