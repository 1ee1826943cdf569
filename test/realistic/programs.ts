// The realistic programs (test/fixtures/realistic/<name>/) and their expectations (expected.json beside each
// program): loading, running through the checker, and the exact comparison. Shared by the end-to-end test
// (test/realistic/realistic.test.ts) and the detection figures of the benchmark (bench/sections/realistic-detection.ts).
//
// expected.json:
//   description   what the program is
//   planted       planted-value name -> generator in test/helpers/secrets.ts `fake` (values read by planted())
//   secrets       config key -> generator name, or an object of field -> generator name or {"literal": "text"} (a
//                 structured secret set with `pulumi config set --path --secret`): passed with --secret, the object as JSON
//   env           environment variable -> generator name: ONLY for values the program reads from process.env and that
//                 must therefore NOT be reported (the pack inherits the CLI's environment)
//   expected      the diagnostics, exactly: policy, resource (`type::name`), level, pathContains (text the message must
//                 hold: the property path or the export's name), optional count (default 1), modes (default both),
//                 optional (may appear at most `count` times: for "at most advisory" cases), why
//   silent        values that must draw no diagnostic: resource, pathContains, why (a mandatory diagnostic on one is a
//                 false alarm on a declared non-finding)
import * as fs from "fs";
import * as path from "path";
import { Diagnostic } from "../../checker/types";
import { repoRoot, runCheck, RunCheckResult } from "../helpers/check";
import { fake, plantedEnv } from "../helpers/secrets";

export const MODES = ["preview", "update"] as const;
export type Mode = (typeof MODES)[number];
export type Level = "advisory" | "mandatory";

export interface ExpectedEntry {
    policy: string;
    resource: string;
    level: Level;
    pathContains: string;
    count?: number;
    modes?: Mode[];
    optional?: boolean;
    why?: string;
}

export interface SilentEntry {
    resource: string;
    pathContains: string;
    modes?: Mode[];
    why: string;
}

type Generator = keyof typeof fake;

export interface ProgramSpec {
    name: string;
    dir: string;
    /** Pulumi project name (Pulumi.yaml). */
    project: string;
    description: string;
    planted: Record<string, Generator>;
    secrets: Record<string, Generator | Record<string, Generator | { literal: string }>>;
    env: Record<string, Generator>;
    expected: ExpectedEntry[];
    silent: SilentEntry[];
}

export const REALISTIC_DIR = path.join(repoRoot(), "test", "fixtures", "realistic");

const LEVELS: Level[] = ["advisory", "mandatory"];

function fail(name: string, what: string): never {
    throw new Error(`test/fixtures/realistic/${name}/expected.json: ${what}`);
}

function checkGenerator(name: string, where: string, g: unknown): Generator {
    if (typeof g !== "string" || !(g in fake)) fail(name, `${where}: unknown generator ${JSON.stringify(g)}; known: ${Object.keys(fake).join(", ")}`);
    return g as Generator;
}

function checkModes(name: string, where: string, m: unknown): Mode[] | undefined {
    if (m === undefined) return undefined;
    if (!Array.isArray(m) || m.length === 0 || m.some((x) => !(MODES as readonly string[]).includes(x))) fail(name, `${where}.modes must be a non-empty list of ${MODES.join("/")}`);
    return m as Mode[];
}

/** Reads and validates one program's expectations. */
export function loadProgram(name: string): ProgramSpec {
    const dir = path.join(REALISTIC_DIR, name);
    const yaml = fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8");
    const project = /^name:\s*(\S+)\s*$/m.exec(yaml)?.[1];
    if (!project) throw new Error(`test/fixtures/realistic/${name}/Pulumi.yaml has no name`);
    const raw = JSON.parse(fs.readFileSync(path.join(dir, "expected.json"), "utf8"));
    if (typeof raw.description !== "string" || !raw.description) fail(name, "description is required");
    const planted: Record<string, Generator> = {};
    for (const [k, g] of Object.entries(raw.planted ?? {})) planted[k] = checkGenerator(name, `planted.${k}`, g);
    const secrets: ProgramSpec["secrets"] = {};
    for (const [k, g] of Object.entries(raw.secrets ?? {})) {
        if (g && typeof g === "object" && !Array.isArray(g)) {
            const obj: Record<string, Generator | { literal: string }> = {};
            for (const [f, fg] of Object.entries(g)) {
                obj[f] = fg && typeof fg === "object" && typeof (fg as any).literal === "string"
                    ? { literal: (fg as any).literal } : checkGenerator(name, `secrets.${k}.${f}`, fg);
            }
            secrets[k] = obj;
        } else {
            secrets[k] = checkGenerator(name, `secrets.${k}`, g);
        }
    }
    const env: Record<string, Generator> = {};
    for (const [k, g] of Object.entries(raw.env ?? {})) env[k] = checkGenerator(name, `env.${k}`, g);
    if (!Array.isArray(raw.expected)) fail(name, "expected must be a list (empty for a compliant program)");
    const expected: ExpectedEntry[] = raw.expected.map((e: any, i: number) => {
        const where = `expected[${i}]`;
        for (const f of ["policy", "resource", "pathContains"]) if (typeof e[f] !== "string" || !e[f]) fail(name, `${where}.${f} is required`);
        if (!LEVELS.includes(e.level)) fail(name, `${where}.level must be advisory or mandatory`);
        if (!e.resource.includes("::")) fail(name, `${where}.resource must be type::name`);
        if (e.count !== undefined && !(Number.isInteger(e.count) && e.count >= 1)) fail(name, `${where}.count must be a positive integer`);
        return { ...e, modes: checkModes(name, where, e.modes) };
    });
    if (!Array.isArray(raw.silent)) fail(name, "silent must be a list");
    const silent: SilentEntry[] = raw.silent.map((s: any, i: number) => {
        const where = `silent[${i}]`;
        for (const f of ["resource", "pathContains", "why"]) if (typeof s[f] !== "string" || !s[f]) fail(name, `${where}.${f} is required`);
        return { ...s, modes: checkModes(name, where, s.modes) };
    });
    return { name, dir, project, description: raw.description, planted, secrets, env, expected, silent };
}

/** Every program under test/fixtures/realistic, in name order. */
export function loadPrograms(): ProgramSpec[] {
    return fs.readdirSync(REALISTIC_DIR, { withFileTypes: true })
        .filter((d) => d.isDirectory() && fs.existsSync(path.join(REALISTIC_DIR, d.name, "expected.json")))
        .map((d) => d.name).sort().map(loadProgram);
}

export interface ProgramValues {
    planted: Record<string, string>;
    secrets: Record<string, string>;
    env: Record<string, string>;
    /** Every generated value: none may reach the output. */
    all: string[];
}

/** Fresh fake values for one run (generated at run time, never committed, never printed). */
export function generateValues(spec: ProgramSpec): ProgramValues {
    const all: string[] = [];
    const gen = (g: Generator) => {
        const v = fake[g]();
        all.push(v);
        return v;
    };
    const planted = Object.fromEntries(Object.entries(spec.planted).map(([k, g]) => [k, gen(g)]));
    const secrets = Object.fromEntries(Object.entries(spec.secrets).map(([k, g]) => [k, typeof g === "string"
        ? gen(g) : JSON.stringify(Object.fromEntries(Object.entries(g).map(([f, fg]) => [f, typeof fg === "string" ? gen(fg) : fg.literal])))]));
    const env = Object.fromEntries(Object.entries(spec.env).map(([k, g]) => [k, gen(g)]));
    return { planted, secrets, env, all };
}

export interface ProgramRun {
    spec: ProgramSpec;
    mode: Mode;
    values: ProgramValues;
    result?: RunCheckResult;
    /** Set when the checker could not be run at all. */
    error?: string;
}

export async function runProgram(spec: ProgramSpec, mode: Mode): Promise<ProgramRun> {
    const values = generateValues(spec);
    try {
        const result = await runCheck(spec.dir, {
            mode,
            secrets: values.secrets,
            env: { ...plantedEnv(values.planted), ...values.env },
            timeoutMs: 180000,
        });
        return { spec, mode, values, result };
    } catch (e) {
        return { spec, mode, values, error: String((e as Error)?.message ?? e).slice(0, 2000) };
    }
}

/** Runs every program in every mode, `concurrency` checker processes at a time. */
export async function runPrograms(specs: ProgramSpec[], modes: readonly Mode[], concurrency: number, onDone?: (r: ProgramRun) => void): Promise<ProgramRun[]> {
    const jobs = specs.flatMap((spec) => modes.map((mode) => ({ spec, mode })));
    const out: ProgramRun[] = new Array(jobs.length);
    let next = 0;
    const worker = async () => {
        while (next < jobs.length) {
            const i = next++;
            out[i] = await runProgram(jobs[i].spec, jobs[i].mode);
            onDone?.(out[i]);
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, jobs.length)) }, worker));
    return out;
}

/** `type::name` of a diagnostic's resource (the last type of a parent chain), or `(none)`. */
export function resourceOf(d: Diagnostic): string {
    if (!d.urn) return "(none)";
    const parts = d.urn.split("::");
    const name = parts[parts.length - 1];
    const type = (parts[parts.length - 2] ?? "").split("$").pop();
    return `${type}::${name}`;
}

function applies(modes: Mode[] | undefined, mode: Mode): boolean {
    return !modes || modes.includes(mode);
}

function matches(e: ExpectedEntry, d: Diagnostic): boolean {
    return d.policyName === e.policy && d.enforcementLevel === e.level && resourceOf(d) === e.resource && d.message.includes(e.pathContains);
}

export interface Comparison {
    /** Required expected diagnostics (slots: an entry with count n is n slots) in this mode. */
    required: number;
    /** Required slots filled by a diagnostic. */
    found: number;
    missing: ExpectedEntry[];
    /** Diagnostics no expectation accounts for (false alarms). */
    unexpected: Diagnostic[];
    /** Unexpected mandatory diagnostics on a value declared silent. */
    onSilent: { diagnostic: Diagnostic; silent: SilentEntry }[];
    /** Silent values of this mode. */
    silentCount: number;
    /** Exactly as expected. */
    exact: boolean;
}

/**
 * Exact comparison: every diagnostic is accounted for by one expectation slot and every required slot by one
 * diagnostic (a maximum bipartite matching, so overlapping pathContains cannot steal each other's diagnostics).
 */
export function compare(spec: ProgramSpec, mode: Mode, diagnostics: Diagnostic[]): Comparison {
    const slots: { entry: ExpectedEntry; optional: boolean }[] = [];
    for (const e of spec.expected) {
        if (!applies(e.modes, mode)) continue;
        for (let i = 0; i < (e.count ?? 1); i++) slots.push({ entry: e, optional: !!e.optional });
    }
    const slotOf: number[] = new Array(diagnostics.length).fill(-1);
    const diagOf: number[] = new Array(slots.length).fill(-1);
    const tryAssign = (s: number, seen: Set<number>): boolean => {
        for (let d = 0; d < diagnostics.length; d++) {
            if (seen.has(d) || !matches(slots[s].entry, diagnostics[d])) continue;
            seen.add(d);
            if (slotOf[d] === -1 || tryAssign(slotOf[d], seen)) {
                slotOf[d] = s;
                diagOf[s] = d;
                return true;
            }
        }
        return false;
    };
    // Required slots first, so an optional expectation never takes a diagnostic a required one needs.
    const order = slots.map((_, i) => i).sort((a, b) => Number(slots[a].optional) - Number(slots[b].optional));
    for (const s of order) tryAssign(s, new Set());
    const required = slots.filter((s) => !s.optional).length;
    const missing = slots.filter((s, i) => !s.optional && diagOf[i] === -1).map((s) => s.entry);
    const unexpected = diagnostics.filter((_, d) => slotOf[d] === -1);
    const silent = spec.silent.filter((s) => applies(s.modes, mode));
    const onSilent = unexpected.flatMap((d) => {
        if (d.enforcementLevel !== "mandatory") return [];
        const s = silent.find((x) => resourceOf(d) === x.resource && d.message.includes(x.pathContains));
        return s ? [{ diagnostic: d, silent: s }] : [];
    });
    return {
        required, found: required - missing.length, missing, unexpected, onSilent, silentCount: silent.length,
        exact: missing.length === 0 && unexpected.length === 0,
    };
}

/**
 * A one-line account of a diagnostic: policy, level, resource and the start of its (already redacted) message's
 * detail (the message's first line is the policy's description).
 */
export function describeDiagnostic(d: Diagnostic): string {
    const nl = d.message.indexOf("\n");
    const detail = nl === -1 ? d.message : d.message.slice(nl + 1);
    return `${d.policyName} ${d.enforcementLevel} ${resourceOf(d)}: ${detail.slice(0, 200)}`;
}

export function describeComparison(c: Comparison): string {
    const lines: string[] = [];
    for (const e of c.missing) lines.push(`missing: ${e.policy} ${e.level} ${e.resource} (path ${e.pathContains})`);
    for (const d of c.unexpected) lines.push(`unexpected: ${describeDiagnostic(d)}`);
    for (const s of c.onSilent) lines.push(`  ^ on a value declared silent (${s.silent.pathContains}): ${s.silent.why}`);
    return lines.join("\n");
}
