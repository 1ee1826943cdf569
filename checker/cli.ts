#!/usr/bin/env node
// ml-secrets-guard: offline policy check of a Pulumi Node.js program against a CrossGuard policy pack.
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { check, checkState, exitCodeFor, isExpectedError, packageRoot } from "./check";
import { parseEvents } from "./events";
import { formatReport } from "./format";
import { EXIT_ERROR, EXIT_MANDATORY, EXIT_OK } from "./types";

const USAGE = `usage:
  ml-secrets-guard check <program-dir> [--stack NAME] [--config KEY=VALUE]... [--secret KEY=VALUE]...
      [--policy-config FILE] [--mode preview|update] [--format text|json|sarif|junit] [--pack DIR] [--output FILE]
  ml-secrets-guard check --state EXPORT.json [--config-file Pulumi.<stack>.yaml] [--config KEY=VALUE]...
      [--secret KEY=VALUE]... [--policy-config FILE] [--format text|json|sarif|junit] [--pack DIR] [--output FILE]
  ml-secrets-guard events [--format text|json|sarif|junit] [--output FILE] [--program DIR|ENTRY-FILE] < events.jsonl
  ml-secrets-guard references [--mode preview|update|both]`;

class ArgError extends Error {}

type Format = "text" | "json" | "sarif" | "junit";

interface CheckArgs {
    programDir: string;
    /** `--state FILE`: audit a `pulumi stack export` instead of running a program. */
    state?: string;
    configFile?: string;
    stack: string;
    config: Array<[string, string]>;
    secrets: Array<[string, string]>;
    policyConfig?: string;
    mode: "preview" | "update";
    format: Format;
    pack?: string;
    output?: string;
}

function keyValue(flag: string, s: string): [string, string] {
    const i = s.indexOf("=");
    if (i <= 0) throw new ArgError(`${flag} expects KEY=VALUE`);
    return [s.slice(0, i), s.slice(i + 1)];
}

function oneOf<T extends string>(flag: string, v: string, allowed: readonly T[]): T {
    if (!(allowed as readonly string[]).includes(v)) throw new ArgError(`${flag} must be one of ${allowed.join(", ")}`);
    return v as T;
}

/** Splits `--flag=value` and `--flag value`. */
function* flags(argv: string[]): Generator<{ flag?: string; value: () => string; positional?: string }> {
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a.startsWith("--")) {
            const eq = a.indexOf("=");
            if (eq > 0) {
                const v = a.slice(eq + 1);
                yield { flag: a.slice(0, eq), value: () => v };
            } else {
                const idx = i;
                yield {
                    flag: a,
                    value: () => {
                        if (idx + 1 >= argv.length) throw new ArgError(`${a} needs a value`);
                        i = idx + 1;
                        return argv[idx + 1];
                    },
                };
            }
        } else {
            yield { positional: a, value: () => a };
        }
    }
}

function parseCheck(argv: string[]): CheckArgs {
    const out: Partial<CheckArgs> & { config: Array<[string, string]>; secrets: Array<[string, string]> } = {
        config: [], secrets: [], stack: "dev", mode: "preview", format: "text",
    };
    const seen = new Set<string>();
    for (const f of flags(argv)) {
        if (f.flag) seen.add(f.flag);
        if (f.positional !== undefined) {
            if (out.programDir !== undefined) throw new ArgError(`unexpected argument ${f.positional}`);
            out.programDir = f.positional;
            continue;
        }
        switch (f.flag) {
            case "--stack": out.stack = f.value(); break;
            case "--config": out.config.push(keyValue("--config", f.value())); break;
            case "--secret": out.secrets.push(keyValue("--secret", f.value())); break;
            case "--policy-config": out.policyConfig = f.value(); break;
            case "--mode": out.mode = oneOf("--mode", f.value(), ["preview", "update"] as const); break;
            case "--format": out.format = oneOf("--format", f.value(), ["text", "json", "sarif", "junit"] as const); break;
            case "--pack": out.pack = f.value(); break;
            case "--output": out.output = f.value(); break;
            case "--state": out.state = f.value(); break;
            case "--config-file": out.configFile = f.value(); break;
            default: throw new ArgError(`unknown option ${f.flag}`);
        }
    }
    if (out.state !== undefined) {
        if (out.programDir !== undefined) throw new ArgError("check --state takes no program directory");
        if (seen.has("--stack")) throw new ArgError("--stack cannot be used with --state: the stack is read from the export");
        if (seen.has("--mode")) throw new ArgError("--mode cannot be used with --state: an export is checked as a completed update");
        if (!out.state) throw new ArgError("--state needs a file");
        if (out.pack !== undefined && !fs.existsSync(path.join(out.pack, "PulumiPolicy.yaml"))) {
            throw new ArgError(`--pack ${out.pack}: no PulumiPolicy.yaml there`);
        }
        return out as CheckArgs;
    }
    if (out.configFile !== undefined) {
        throw new ArgError("--config-file is for --state; a program's Pulumi.<stack>.yaml is read from its directory");
    }
    if (!out.programDir) throw new ArgError("check needs a program directory");
    if (!out.stack) throw new ArgError("--stack must not be empty");
    if (!fs.existsSync(out.programDir) || !fs.statSync(out.programDir).isDirectory()) {
        throw new ArgError(`program directory ${out.programDir} does not exist`);
    }
    if (out.pack !== undefined && !fs.existsSync(path.join(out.pack, "PulumiPolicy.yaml"))) {
        throw new ArgError(`--pack ${out.pack}: no PulumiPolicy.yaml there`);
    }
    return out as CheckArgs;
}

async function writeOutput(text: string, output: string | undefined): Promise<void> {
    if (output) fs.writeFileSync(output, text);
    else await new Promise<void>((resolve) => process.stdout.write(text, () => resolve()));
}

async function runCheckCommand(argv: string[]): Promise<number> {
    const a = parseCheck(argv);
    if (a.state !== undefined) {
        const { report, exitCode } = await checkState({
            statePath: a.state,
            configFile: a.configFile,
            config: a.config,
            secrets: a.secrets,
            policyConfigPath: a.policyConfig,
            packDir: a.pack ?? packageRoot(),
        });
        await writeOutput(formatReport(report, a.format, { entryFile: a.state }), a.output);
        return exitCode;
    }
    const { report, exitCode } = await check({
        programDir: a.programDir,
        stack: a.stack,
        config: a.config,
        secrets: a.secrets,
        policyConfigPath: a.policyConfig,
        mode: a.mode,
        packDir: a.pack ?? packageRoot(),
    });
    const text = formatReport(report, a.format);
    if (a.output) fs.writeFileSync(a.output, text);
    else await new Promise<void>((resolve) => process.stdout.write(text, () => resolve()));
    return exitCode;
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
async function runEvents(argv: string[]): Promise<number> {
    let format: Format = "text";
    let output: string | undefined;
    let program = ".";
    for (const f of flags(argv)) {
        if (f.flag === "--format") format = oneOf("--format", f.value(), ["text", "json", "sarif", "junit"] as const);
        else if (f.flag === "--output") output = f.value();
        else if (f.flag === "--program") program = f.value();
        else throw new ArgError(`unknown argument ${f.flag ?? f.positional}`);
    }
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
    // index.ts in a directory unless a file is given, e.g. __main__.py).
    const isFile = fs.existsSync(program) && fs.statSync(program).isFile();
    report.program = isFile ? path.dirname(program) : program;
    await writeOutput(formatReport(report, format, isFile ? { entryFile: program } : {}), output);
    if (malformedLines.length > 0) {
        // A cut-off stream: what was read is reported above, but an incomplete run must not pass a gate.
        const shown = malformedLines.slice(0, 5).join(", ") + (malformedLines.length > 5 ? ", ..." : "");
        const many = malformedLines.length > 1;
        process.stderr.write(`error: line${many ? "s" : ""} ${shown} of stdin ${many ? "start" : "starts"} as a JSON ` +
            `event but ${many ? "do" : "does"} not parse (the stream was cut off or corrupted); the report above ` +
            `covers only the events read\n`);
        return EXIT_ERROR;
    }
    return exitCodeFor(report);
}

interface StackSummary {
    line: string;
    code: number;
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

async function summarize(dir: string, name: string, mode: "preview" | "update"): Promise<StackSummary> {
    const r = await runChild(["check", dir, "--stack", "dev", "--mode", mode, "--format", "json"]);
    if (r.code !== EXIT_OK && r.code !== EXIT_MANDATORY) {
        const why = r.stderr.trim().split("\n").filter((l) => l.startsWith("error:")).join(" ") || r.stderr.trim().slice(-500);
        return { line: `${name} (${mode}): error: ${why}`, code: EXIT_ERROR };
    }
    try {
        const doc = JSON.parse(r.stdout);
        const s = doc.summary ?? {};
        const mandatory = Number(s.mandatory ?? 0) + Number(s.remediate ?? 0);
        const resources = s.resources ?? (doc.resources ?? []).length;
        return {
            line: `${name} (${mode}): ${mandatory} mandatory, ${Number(s.advisory ?? 0)} advisory, ${resources} resources`,
            code: r.code,
        };
    } catch {
        return { line: `${name} (${mode}): error: unreadable report`, code: EXIT_ERROR };
    }
}

async function runReferences(argv: string[]): Promise<number> {
    let mode = "preview";
    for (const f of flags(argv)) {
        if (f.flag === "--mode") mode = oneOf("--mode", f.value(), ["preview", "update", "both"] as const);
        else throw new ArgError(`unknown argument ${f.flag ?? f.positional}`);
    }
    const root = path.join(packageRoot(), "reference-stacks");
    const stacks = fs.existsSync(root)
        ? fs.readdirSync(root).filter((d) => fs.existsSync(path.join(root, d, "Pulumi.yaml"))).sort()
        : [];
    if (stacks.length === 0) {
        process.stderr.write(`error: no reference stacks under ${root}\n`);
        return EXIT_ERROR;
    }
    const modes: Array<"preview" | "update"> = mode === "both" ? ["preview", "update"] : [mode as "preview" | "update"];
    const jobs = stacks.flatMap((s) => modes.map((m) => ({ s, m })));
    const results: StackSummary[] = new Array(jobs.length);
    let next = 0;
    const worker = async () => {
        while (next < jobs.length) {
            const i = next++;
            results[i] = await summarize(path.join(root, jobs[i].s), jobs[i].s, jobs[i].m);
        }
    };
    await Promise.all([worker(), worker()]);
    let code = EXIT_OK;
    for (const r of results) {
        process.stdout.write(r.line + "\n");
        if (r.code === EXIT_ERROR) code = EXIT_ERROR;
        else if (r.code === EXIT_MANDATORY && code === EXIT_OK) code = EXIT_MANDATORY;
    }
    return code;
}

export async function main(argv: string[]): Promise<number> {
    const [cmd, ...rest] = argv;
    try {
        if (cmd === "check") return await runCheckCommand(rest);
        if (cmd === "references") return await runReferences(rest);
        if (cmd === "events") return await runEvents(rest);
        if (cmd === "--help" || cmd === "-h" || cmd === "help") {
            process.stdout.write(USAGE + "\n");
            return EXIT_OK;
        }
        throw new ArgError(cmd ? `unknown command ${cmd}` : "missing command");
    } catch (e) {
        if (e instanceof ArgError) {
            process.stderr.write(`error: ${e.message}\n${USAGE}\n`);
            return EXIT_ERROR;
        }
        if (e instanceof Error && e.name === "ProgramError") {
            process.stderr.write(`error: the program failed: ${e.message}\n`);
            return EXIT_ERROR;
        }
        if (isExpectedError(e)) {
            process.stderr.write(`error: ${e.message}\n`);
            return EXIT_ERROR;
        }
        process.stderr.write(`error: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
        return EXIT_ERROR;
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => process.exit(code));
}
