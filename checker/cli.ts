#!/usr/bin/env node
// ml-secrets-guard: offline policy check of a Pulumi Node.js program against a CrossGuard policy pack.
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { check, isExpectedError, packageRoot } from "./check";
import { formatReport } from "./format";
import { EXIT_ERROR, EXIT_MANDATORY, EXIT_OK } from "./types";

const USAGE = `usage:
  ml-secrets-guard check <program-dir> [--stack NAME] [--config KEY=VALUE]... [--secret KEY=VALUE]...
      [--policy-config FILE] [--mode preview|update] [--format text|json|sarif|junit] [--pack DIR] [--output FILE]
  ml-secrets-guard references [--mode preview|update|both]`;

class ArgError extends Error {}

type Format = "text" | "json" | "sarif" | "junit";

interface CheckArgs {
    programDir: string;
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
    for (const f of flags(argv)) {
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
            default: throw new ArgError(`unknown option ${f.flag}`);
        }
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

async function runCheckCommand(argv: string[]): Promise<number> {
    const a = parseCheck(argv);
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
