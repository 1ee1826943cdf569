#!/usr/bin/env node
// ml-secrets-guard: offline policy check of a Pulumi Node.js program against a CrossGuard policy pack.
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { check, checkState, finishReport, packageRoot } from "./check";
import { CheckerError, checkerErrorExit } from "./errors";
import { parseEvents } from "./events";
import { formatReport, FormatOptions } from "./format";
import { parseJsonReport } from "./format/json";
import { readScenarios, renderScenarios, ScenarioResult, ScenarioRun } from "./references";
import { CheckReport, EXIT_ERROR, EXIT_MANDATORY, EXIT_OK, FAIL_ON_LEVELS, FailOn } from "./types";

// Every subcommand's options, stated once: parsed with node's util.parseArgs, and its --help is generated from them.
interface OptionSpec {
    type: "string" | "boolean";
    multiple?: boolean;
    short?: string;
    /** Placeholder in the help, e.g. `NAME`. */
    arg?: string;
    help: string;
}

interface CommandSpec {
    synopsis: string[];
    summary: string;
    /** Name of the positional argument, if any. */
    positional?: string;
    options: Record<string, OptionSpec>;
}

const FORMATS = ["text", "json", "sarif", "junit"] as const;
type Format = (typeof FORMATS)[number];
const HELP: OptionSpec = { type: "boolean", short: "h", help: "show this help" };
const FORMAT_OPT: OptionSpec = { type: "string", arg: FORMATS.join("|"), help: "report format (default text)" };
const OUTPUT_OPT: OptionSpec = { type: "string", arg: "FILE", help: "write the report to FILE instead of stdout" };
const BASELINE_OPTS: Record<string, OptionSpec> = {
    baseline: { type: "string", arg: "REPORT.json", help: "accept the findings of an earlier JSON report: they are shown as baselined and do not fail the run; ones no longer found are listed as fixed" },
    "write-baseline": { type: "string", arg: "FILE", help: "also write this run's JSON report to FILE, for a later --baseline" },
    "fail-on": { type: "string", arg: FAIL_ON_LEVELS.join("|"), help: "lowest level of a new finding that exits 1 (default mandatory); a remediation never fails" },
};

const COMMANDS: Record<string, CommandSpec> = {
    check: {
        synopsis: [
            "ml-secrets-guard check [PROGRAM-DIR] [options]",
            "ml-secrets-guard check --state STATE.json [--config-file Pulumi.<stack>.yaml] [options]",
        ],
        summary: "Run a Pulumi Node.js program offline (default: the current directory) and check what it would deploy " +
            "against the policy pack; or, with --state, check a `pulumi stack export` of any language. " +
            "Exit 0 clean, 1 on a failing finding, 2 on an error.",
        positional: "PROGRAM-DIR",
        options: {
            stack: { type: "string", arg: "NAME", help: "stack whose Pulumi.<stack>.yaml is read (default dev)" },
            config: { type: "string", multiple: true, arg: "KEY=VALUE", help: "plaintext stack config (repeatable)" },
            secret: { type: "string", multiple: true, arg: "KEY=VALUE", help: "secret stack config (repeatable)" },
            "policy-config": { type: "string", arg: "FILE", help: "policy config JSON, as `pulumi preview --policy-pack-config`" },
            mode: { type: "string", arg: "preview|update", help: "preview sends unknowns for computed outputs, update realistic values (default preview)" },
            format: FORMAT_OPT,
            pack: { type: "string", arg: "DIR", help: "policy pack directory (default: this package's pack)" },
            output: OUTPUT_OPT,
            state: { type: "string", arg: "STATE.json", help: "check a `pulumi stack export`, or a self-managed backend's checkpoint file (v1-v4), instead of running a program" },
            "config-file": { type: "string", arg: "FILE", help: "with --state: the stack's Pulumi.<stack>.yaml (its secure: keys)" },
            ...BASELINE_OPTS,
            help: HELP,
        },
    },
    events: {
        synopsis: ["ml-secrets-guard events [options] < events.jsonl"],
        summary: "Render the engine events of `PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true pulumi preview --json` " +
            "(or `pulumi up --json`) read from stdin. Exit 1 on a failing finding, 0 otherwise, 2 when stdin holds no engine event.",
        options: {
            format: FORMAT_OPT,
            output: OUTPUT_OPT,
            program: { type: "string", arg: "DIR|ENTRY-FILE", help: "the program the events are about (default .), for file locations" },
            ...BASELINE_OPTS,
            help: HELP,
        },
    },
    references: {
        synopsis: ["ml-secrets-guard references [--mode preview|update|both]"],
        summary: "Check the seed programs as first written (expected findings) and the compliant reference stacks " +
            "(clean) of this repository, side by side. Exit 0 when every program gets exactly what is expected.",
        options: {
            mode: { type: "string", arg: "preview|update|both", help: "which modes to run (default both)" },
            help: HELP,
        },
    },
};

function commandHelp(name: string): string {
    const c = COMMANDS[name];
    const lines = ["usage:", ...c.synopsis.map((s) => `  ${s}`), "", c.summary, "", "options:"];
    const flags = Object.entries(c.options).map(([k, o]) => [
        `${o.short ? `-${o.short}, ` : ""}--${k}${o.arg ? ` ${o.arg}` : ""}`, o.help + (o.multiple ? "" : ""),
    ]);
    const width = Math.min(44, Math.max(...flags.map(([f]) => f.length)));
    for (const [f, h] of flags) lines.push(f.length > width ? `  ${f}\n  ${" ".repeat(width)}  ${h}` : `  ${f.padEnd(width)}  ${h}`);
    return lines.join("\n") + "\n";
}

const USAGE = `usage:
${Object.values(COMMANDS).flatMap((c) => c.synopsis.map((s) => `  ${s}`)).join("\n")}
  ml-secrets-guard <command> --help`;

class ArgError extends Error {
    constructor(message: string, readonly command?: string) {
        super(message);
    }
}

interface Parsed {
    values: Record<string, string | string[] | boolean | undefined>;
    positionals: string[];
}

/** util.parseArgs over a command's options; its errors become usage errors. */
function parseCommand(name: string, argv: string[]): Parsed | "help" {
    const spec = COMMANDS[name];
    const options = Object.fromEntries(Object.entries(spec.options).map(([k, o]) => [
        k, { type: o.type, ...(o.multiple ? { multiple: true } : {}), ...(o.short ? { short: o.short } : {}) },
    ]));
    let parsed: Parsed;
    try {
        parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true }) as Parsed;
    } catch (e) {
        const code = (e as { code?: string }).code;
        const msg = (e as Error).message;
        if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
            const m = /Unknown option '([^']+)'/.exec(msg);
            throw new ArgError(`unknown option ${m ? m[1] : msg}`, name);
        }
        if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
            const m = /Option '(?:-\w, )?(--[\w-]+)/.exec(msg);
            throw new ArgError(m ? `${m[1]} needs a value` : msg, name);
        }
        throw new ArgError(msg, name);
    }
    if (parsed.values.help) return "help";
    const allowed = spec.positional ? 1 : 0;
    if (parsed.positionals.length > allowed) throw new ArgError(`unknown argument ${parsed.positionals[allowed]}`, name);
    return parsed;
}

function str(p: Parsed, k: string): string | undefined {
    const v = p.values[k];
    return typeof v === "string" ? v : undefined;
}

function list(p: Parsed, k: string): string[] {
    const v = p.values[k];
    return Array.isArray(v) ? v : [];
}

function keyValue(flag: string, s: string): [string, string] {
    const i = s.indexOf("=");
    if (i <= 0) throw new ArgError(`${flag} expects KEY=VALUE`);
    return [s.slice(0, i), s.slice(i + 1)];
}

function oneOf<T extends string>(flag: string, v: string | undefined, allowed: readonly T[], dflt: T): T {
    if (v === undefined) return dflt;
    if (!(allowed as readonly string[]).includes(v)) throw new ArgError(`${flag} must be one of ${allowed.join(", ")}`);
    return v as T;
}

interface ReportArgs {
    format: Format;
    output?: string;
    baseline?: string;
    writeBaseline?: string;
    failOn: FailOn;
}

function reportArgs(p: Parsed): ReportArgs {
    const baseline = str(p, "baseline");
    if (baseline !== undefined && !fs.existsSync(baseline)) throw new ArgError(`--baseline ${baseline} does not exist`);
    return {
        format: oneOf("--format", str(p, "format"), FORMATS, "text"),
        output: str(p, "output"),
        baseline,
        writeBaseline: str(p, "write-baseline"),
        failOn: oneOf("--fail-on", str(p, "fail-on"), FAIL_ON_LEVELS, "mandatory"),
    };
}

interface CheckArgs extends ReportArgs {
    programDir: string;
    /** `--state FILE`: audit a `pulumi stack export` instead of running a program. */
    state?: string;
    configFile?: string;
    stack: string;
    config: Array<[string, string]>;
    secrets: Array<[string, string]>;
    policyConfig?: string;
    mode: "preview" | "update";
    pack?: string;
}

function parseCheck(p: Parsed): CheckArgs {
    const out: CheckArgs = {
        ...reportArgs(p),
        programDir: p.positionals[0] ?? ".",
        state: str(p, "state"),
        configFile: str(p, "config-file"),
        stack: str(p, "stack") ?? "dev",
        config: list(p, "config").map((s) => keyValue("--config", s)),
        secrets: list(p, "secret").map((s) => keyValue("--secret", s)),
        policyConfig: str(p, "policy-config"),
        mode: oneOf("--mode", str(p, "mode"), ["preview", "update"] as const, "preview"),
        pack: str(p, "pack"),
    };
    if (out.pack !== undefined && !fs.existsSync(path.join(out.pack, "PulumiPolicy.yaml"))) {
        throw new ArgError(`--pack ${out.pack}: no PulumiPolicy.yaml there`);
    }
    if (out.state !== undefined) {
        if (p.positionals.length > 0) throw new ArgError("check --state takes no program directory");
        if (p.values.stack !== undefined) throw new ArgError("--stack cannot be used with --state: the stack is read from the export");
        if (p.values.mode !== undefined) throw new ArgError("--mode cannot be used with --state: an export is checked as a completed update");
        if (!out.state) throw new ArgError("--state needs a file");
        return out;
    }
    if (out.configFile !== undefined) {
        throw new ArgError("--config-file is for --state; a program's Pulumi.<stack>.yaml is read from its directory");
    }
    if (!out.stack) throw new ArgError("--stack must not be empty");
    if (!fs.existsSync(out.programDir) || !fs.statSync(out.programDir).isDirectory()) {
        throw new ArgError(`program directory ${out.programDir} does not exist`);
    }
    return out;
}

async function writeOutput(text: string, output: string | undefined): Promise<void> {
    if (output) fs.writeFileSync(output, text);
    else await new Promise<void>((resolve) => process.stdout.write(text, () => resolve()));
}

/** Writes the report (and the baseline file), returns the exit status. */
async function emit(report: CheckReport, exitCode: number, a: ReportArgs, sarif: FormatOptions = {}): Promise<number> {
    if (a.writeBaseline !== undefined) fs.writeFileSync(a.writeBaseline, formatReport(report, "json"));
    await writeOutput(formatReport(report, a.format, sarif), a.output);
    return exitCode;
}

async function runCheckCommand(p: Parsed): Promise<number> {
    const a = parseCheck(p);
    const common = {
        config: a.config,
        secrets: a.secrets,
        policyConfigPath: a.policyConfig,
        packDir: a.pack ?? packageRoot(),
        baselinePath: a.baseline,
        failOn: a.failOn,
    };
    if (a.state !== undefined) {
        const { report, exitCode } = await checkState({ ...common, statePath: a.state, configFile: a.configFile });
        return emit(report, exitCode, a, { entryFile: a.state });
    }
    const { report, exitCode } = await check({ ...common, programDir: a.programDir, stack: a.stack, mode: a.mode });
    return emit(report, exitCode, a);
}

/** Everything on stdin, as text (the engine's event stream, one JSON object per line). */
function readStdin(): Promise<string> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        process.stdin.on("data", (d: Buffer) => chunks.push(d));
        process.stdin.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
        process.stdin.on("error", reject);
    });
}

/**
 * `ml-secrets-guard events`: renders the engine events of
 * `PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true pulumi preview --json` (or `pulumi up --json`) read from stdin.
 * Also reads the NDJSON of `pulumi policy analyze --json`. Exit 1 when a mandatory policy violation is reported, 0
 * otherwise, 2 when stdin holds no engine event or a line that starts as one does not parse (a cut-off stream).
 */
async function runEvents(p: Parsed): Promise<number> {
    const a = reportArgs(p);
    const program = str(p, "program") ?? ".";
    if (process.stdin.isTTY) throw new ArgError("events reads engine events on stdin: pipe `pulumi preview --json` into it");
    const text = await readStdin();
    const { report, skippedLines, events, malformedLines } = parseEvents(text);
    if (events === 0 && malformedLines.length === 0) {
        process.stderr.write(`error: no engine events on stdin (${skippedLines} line(s) that are not JSON event objects); ` +
            `run pulumi preview --json with PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true\n`);
        return EXIT_ERROR;
    }
    if (skippedLines > 0) process.stderr.write(`note: skipped ${skippedLines} line(s) that are not JSON event objects\n`);
    // The program the events are about: named in the report, and the location of SARIF results (its entry file;
    // index.ts in a directory unless a file is given, e.g. __main__.py). Event locations are relative to it.
    const isFile = fs.existsSync(program) && fs.statSync(program).isFile();
    report.program = isFile ? path.dirname(program) : program;
    report.programDir = path.resolve(report.program);
    const { exitCode } = finishReport(report, { baselinePath: a.baseline, failOn: a.failOn });
    const code = await emit(report, exitCode, a, isFile ? { entryFile: program } : {});
    if (malformedLines.length > 0) {
        // A cut-off stream: what was read is reported above, but an incomplete run must not pass a gate.
        const shown = malformedLines.slice(0, 5).join(", ") + (malformedLines.length > 5 ? ", ..." : "");
        const many = malformedLines.length > 1;
        process.stderr.write(`error: line${many ? "s" : ""} ${shown} of stdin ${many ? "start" : "starts"} as a JSON ` +
            `event but ${many ? "do" : "does"} not parse (the stream was cut off or corrupted); the report above ` +
            `covers only the events read\n`);
        return EXIT_ERROR;
    }
    return code;
}

function runChild(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        const child = spawn(process.execPath, [__filename, ...args], { stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("close", (code) => resolve({ code: code ?? EXIT_ERROR, stdout, stderr }));
    });
}

/** `check <dir> --format json` in a child process (each program needs its own process). */
async function checkInChild(dir: string, mode: "preview" | "update"): Promise<ScenarioRun> {
    const r = await runChild(["check", dir, "--stack", "dev", "--mode", mode, "--format", "json"]);
    if (r.code !== EXIT_OK && r.code !== EXIT_MANDATORY) {
        const why = r.stderr.trim().split("\n").filter((l) => l.startsWith("error:")).join(" ") || r.stderr.trim().slice(-500);
        return { error: why || `exit ${r.code}` };
    }
    try {
        return { report: parseJsonReport(r.stdout) };
    } catch {
        return { error: "unreadable report" };
    }
}

async function runReferences(p: Parsed): Promise<number> {
    const mode = oneOf("--mode", str(p, "mode"), ["preview", "update", "both"] as const, "both");
    const root = packageRoot();
    const scenarios = readScenarios(root);
    const modes: Array<"preview" | "update"> = mode === "both" ? ["preview", "update"] : [mode];
    const results: ScenarioResult[] = scenarios.map((scenario) => ({ scenario, asWritten: {}, reference: {} }));
    const jobs = results.flatMap((r) => (["asWritten", "reference"] as const).flatMap((side) => modes.map((m) => ({ r, side, m }))));
    let next = 0;
    const worker = async () => {
        while (next < jobs.length) {
            const j = jobs[next++];
            const dir = path.join(root, j.side === "asWritten" ? j.r.scenario.asWritten : j.r.scenario.reference);
            j.r[j.side][j.m] = await checkInChild(dir, j.m);
        }
    };
    // Two at a time: a run is one node process with a policy pack beside it.
    await Promise.all([worker(), worker()]);
    const { text, ok } = renderScenarios(results, modes);
    await writeOutput(text, undefined);
    if (results.some((r) => [...Object.values(r.asWritten), ...Object.values(r.reference)].some((x) => !x.report))) return EXIT_ERROR;
    return ok ? EXIT_OK : EXIT_MANDATORY;
}

export async function main(argv: string[]): Promise<number> {
    const [cmd, ...rest] = argv;
    try {
        if (cmd === undefined || cmd === "--help" || cmd === "-h" || cmd === "help") {
            if (cmd === "help" && rest[0] && COMMANDS[rest[0]]) process.stdout.write(commandHelp(rest[0]));
            else process.stdout.write(USAGE + "\n");
            return cmd === undefined ? EXIT_ERROR : EXIT_OK;
        }
        if (!Object.prototype.hasOwnProperty.call(COMMANDS, cmd)) throw new ArgError(`unknown command ${cmd}`);
        const parsed = parseCommand(cmd, rest);
        if (parsed === "help") {
            process.stdout.write(commandHelp(cmd));
            return EXIT_OK;
        }
        if (cmd === "check") return await runCheckCommand(parsed);
        if (cmd === "events") return await runEvents(parsed);
        return await runReferences(parsed);
    } catch (e) {
        if (e instanceof ArgError) {
            const command = e.command ?? (cmd !== undefined && Object.prototype.hasOwnProperty.call(COMMANDS, cmd) ? cmd : undefined);
            const usage = command ? `${COMMANDS[command].synopsis.map((x) => `  ${x}`).join("\n")}\n  (ml-secrets-guard ${command} --help)` : USAGE;
            process.stderr.write(`error: ${e.message}\nusage:\n${usage.replace(/^usage:\n/, "")}\n`);
            return EXIT_ERROR;
        }
        if (e instanceof CheckerError) {
            const { exitCode, message } = checkerErrorExit(e);
            process.stderr.write(message);
            return exitCode;
        }
        process.stderr.write(`error: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
        return EXIT_ERROR;
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => process.exit(code));
}
