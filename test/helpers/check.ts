// Runs the built CLI (`node dist/checker/cli.js check ... --format json`) as a child process, the way users do.
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parseJsonReport } from "../../checker/format/json";
import { CheckReport } from "../../checker/types";

/** The repository root: the directory whose package.json is named ml-secrets-guard (tests run from dist/). */
export function repoRoot(from: string = __dirname): string {
    let dir = path.resolve(from);
    for (;;) {
        const pkg = path.join(dir, "package.json");
        if (fs.existsSync(pkg)) {
            try {
                if (JSON.parse(fs.readFileSync(pkg, "utf8")).name === "ml-secrets-guard") return dir;
            } catch {
                /* keep walking */
            }
        }
        const up = path.dirname(dir);
        if (up === dir) throw new Error(`no ml-secrets-guard package.json above ${from}`);
        dir = up;
    }
}

export interface RunCheckOptions {
    stack?: string;
    mode?: "preview" | "update";
    /** KEY=VALUE pairs for --config. */
    config?: Record<string, string>;
    /** KEY=VALUE pairs for --secret. */
    secrets?: Record<string, string>;
    /** Policy pack directory (--pack); default: the repository's own pack. */
    pack?: string;
    policyConfig?: string;
    /** Extra environment for the checker (and so the pack). */
    env?: Record<string, string>;
    extraArgs?: string[];
    timeoutMs?: number;
}

export interface RunCheckResult {
    exitCode: number;
    stdout: string;
    stderr: string;
    /** The report, rebuilt from the JSON output when the run produced one. */
    report?: CheckReport;
}

/** Rebuilds a CheckReport from `--format json` output (the checker's own reader, checker/format/json.ts). */
export function reportFromJson(text: string): CheckReport {
    return parseJsonReport(text);
}

export function runCheck(programDir: string, opts: RunCheckOptions = {}): Promise<RunCheckResult> {
    const root = repoRoot();
    const args = [path.join(root, "dist", "checker", "cli.js"), "check", programDir, "--format", "json"];
    if (opts.stack) args.push("--stack", opts.stack);
    if (opts.mode) args.push("--mode", opts.mode);
    for (const [k, v] of Object.entries(opts.config ?? {})) args.push("--config", `${k}=${v}`);
    for (const [k, v] of Object.entries(opts.secrets ?? {})) args.push("--secret", `${k}=${v}`);
    if (opts.pack) args.push("--pack", opts.pack);
    if (opts.policyConfig) args.push("--policy-config", opts.policyConfig);
    args.push(...(opts.extraArgs ?? []));
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, args, {
            cwd: root,
            env: { ...process.env, ...(opts.env ?? {}) },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        const timer = setTimeout(() => {
            child.kill("SIGKILL");
            reject(new Error(`check timed out; stderr:\n${stderr.slice(-2000)}`));
        }, opts.timeoutMs ?? 90000);
        child.on("error", reject);
        child.on("close", (code) => {
            clearTimeout(timer);
            let report: CheckReport | undefined;
            if (stdout.trim().startsWith("{")) {
                try {
                    report = reportFromJson(stdout);
                } catch {
                    report = undefined;
                }
            }
            resolve({ exitCode: code ?? -1, stdout, stderr, report });
        });
    });
}
