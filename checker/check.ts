// `ml-secrets-guard check`: run the program offline, start the policy pack as the CLI would, analyze, report.
import * as fs from "fs";
import * as path from "path";
import { runAnalysis } from "./engine/analyzer";
import {
    ownPulumiDir, packEnvironment, PolicyProject, readPolicyProject, startEngineServer, startPack,
} from "./engine/pack";
import { applyBaseline, readBaseline } from "./baseline";
import { PolicyRunError, UsageError } from "./errors";
import { assignFingerprints } from "./fingerprint";
import { LocatedResource, locateDiagnostics, programLocation, TypeScriptApi } from "./location";
import { readPolicyConfigFile } from "./policy-config";
import { loadYamlModule, pulumiPackageDir, readProject, readStackConfig } from "./runner/project";
import { loadTypeScript, resolveMain, runProgram } from "./runner/run";
import { RunResult } from "./runner/types";
import { readState, readStateConfig } from "./state";
import { CheckReport, EXIT_ERROR, EXIT_MANDATORY, EXIT_OK, FailOn } from "./types";

export interface CheckOptions {
    programDir: string;
    stack: string;
    config: Array<[string, string]>;
    secrets: Array<[string, string]>;
    policyConfigPath?: string;
    mode: "preview" | "update";
    packDir: string;
    /** Where notes and pack output go (stderr by default). */
    log?: (line: string) => void;
    /** A JSON report of an earlier run whose findings are accepted. */
    baselinePath?: string;
    /** Default "mandatory". */
    failOn?: FailOn;
}

export interface CheckOutcome {
    report: CheckReport;
    exitCode: number;
}

/** The directory holding this package's PulumiPolicy.yaml (the default pack), found from here upward. */
export function packageRoot(from: string = __dirname): string {
    let dir = path.resolve(from);
    for (;;) {
        if (fs.existsSync(path.join(dir, "PulumiPolicy.yaml")) && fs.existsSync(path.join(dir, "package.json"))) return dir;
        const up = path.dirname(dir);
        if (up === dir) throw new UsageError(`cannot find this package's PulumiPolicy.yaml above ${from}`);
        dir = up;
    }
}

/**
 * 1 when a finding that is not baselined is at or above the `--fail-on` level (default: any mandatory one). A
 * remediation is reported (level `remediate`) but, as in the Pulumi CLI, it is a fix the engine applies, not a
 * violation: it never fails the run (a violation that survives remediation is reported as mandatory).
 */
export function exitCodeFor(report: CheckReport, failOn: FailOn = "mandatory"): number {
    if (failOn === "none") return EXIT_OK;
    const failing = failOn === "advisory" ? ["mandatory", "advisory"] : ["mandatory"];
    return report.diagnostics.some((d) => !d.baselined && failing.includes(d.enforcementLevel)) ? EXIT_MANDATORY : EXIT_OK;
}

/** Fingerprints, then the baseline (when given), then the exit status. */
export function finishReport(report: CheckReport, opts: { baselinePath?: string; failOn?: FailOn }): CheckOutcome {
    assignFingerprints(report);
    if (opts.baselinePath !== undefined) applyBaseline(report, readBaseline(opts.baselinePath));
    return { report, exitCode: exitCodeFor(report, opts.failOn) };
}

/** typescript for the source walk, or undefined (findings then point at the call site). */
function optionalTypeScript(programDir: string, selfDir: string): TypeScriptApi | undefined {
    try {
        return loadTypeScript(programDir, selfDir, pulumiPackageDir(programDir));
    } catch {
        return undefined;
    }
}

export async function check(opts: CheckOptions): Promise<CheckOutcome> {
    const log = opts.log ?? ((l: string) => process.stderr.write(l.endsWith("\n") ? l : l + "\n"));
    const project = readProject(opts.programDir);
    const config = readStackConfig(project, opts.stack, { config: opts.config, secrets: opts.secrets });
    const policyConfigFile = opts.policyConfigPath !== undefined ? readPolicyConfigFile(opts.policyConfigPath) : undefined;
    const selfDir = packageRoot();
    const policy = readPolicyProject(opts.packDir, loadYamlModule());
    for (const n of config.notes) log(`note: ${n}`);

    if (opts.baselinePath !== undefined) readBaseline(opts.baselinePath); // a bad baseline fails before the run
    const run = await runProgram({ project, stack: opts.stack, dryRun: opts.mode === "preview", config, selfDir });
    for (const r of run.resources) {
        r.location ??= programLocation([r.sourcePosition, ...(r.stackTrace ?? [])], project.dir);
    }

    const tags: Record<string, string> = { "pulumi:project": project.name, "pulumi:runtime": project.runtime };
    if (project.description) tags["pulumi:description"] = project.description;
    const entry = path.relative(project.dir, resolveMain(project)).split(path.sep).join("/");
    const report = await analyzeRun({ run, policy, policyConfigFile, tags, program: project.dir, mode: opts.mode, log });
    report.programDir = project.dir;
    locateDiagnostics(report.diagnostics, locatedResources(run), {
        programDir: project.dir, entryFile: entry, ts: optionalTypeScript(project.dir, selfDir),
    });
    return finishReport(report, opts);
}

function locatedResources(run: RunResult): Map<string, LocatedResource> {
    return new Map(run.resources.map((r) => [r.urn, { type: r.type, name: r.name, location: r.location }]));
}

interface AnalyzeRunOptions {
    run: RunResult;
    policy: PolicyProject;
    policyConfigFile: unknown;
    tags: Record<string, string>;
    /** What the report names as the checked program (a directory, or a state file). */
    program: string;
    mode: "preview" | "update";
    log: (line: string) => void;
}

/** Starts the pack as the CLI does and runs the Analyzer calls over a captured (or exported) stack. */
async function analyzeRun(o: AnalyzeRunOptions): Promise<CheckReport> {
    const { run, policy, log } = o;
    const pulumiDir = ownPulumiDir();
    const engine = await startEngineServer(pulumiDir, log);
    let pack: Awaited<ReturnType<typeof startPack>> | undefined;
    try {
        const env = packEnvironment({
            config: run.config, project: run.project, stack: run.stack, organization: run.organization, dryRun: run.dryRun,
        });
        pack = await startPack(policy, engine.address, env, (chunk) => {
            for (const line of chunk.split("\n")) if (line.trim()) log(`[policy pack] ${line}`);
        });
        const result = await runAnalysis({
            run, policy, port: pack.port, engineAddress: engine.address, policyConfigFile: o.policyConfigFile, tags: o.tags, pulumiDir,
        }).catch((e) => {
            if (e instanceof PolicyRunError && pack && pack.process.exitCode !== null) {
                throw new PolicyRunError(`${e.message}\npolicy pack exited; stderr:\n${pack.stderr().trim().slice(0, 4000)}`);
            }
            throw e;
        });
        const report: CheckReport = {
            program: o.program,
            stack: run.stack,
            project: run.project,
            mode: o.mode,
            pack: result.pack,
            resources: run.resources.map((r) => ({
                urn: r.urn, type: r.type, name: r.name, ...(r.location ? { location: r.location } : {}),
            })),
            diagnostics: result.diagnostics,
        };
        return report;
    } finally {
        pack?.kill();
        engine.stop();
    }
}

export interface StateCheckOptions {
    /** A `pulumi stack export` file or a self-managed backend's checkpoint (versions 1-4), with or without `--show-secrets`. */
    statePath: string;
    /** The stack's Pulumi.<stack>.yaml: its `secure:` keys are secret keys with unknown values. */
    configFile?: string;
    config: Array<[string, string]>;
    secrets: Array<[string, string]>;
    policyConfigPath?: string;
    packDir: string;
    log?: (line: string) => void;
    baselinePath?: string;
    failOn?: FailOn;
}

/**
 * `ml-secrets-guard check --state`: audits an exported stack of any language. The export stands for an update that
 * has completed: Analyze gets each resource's inputs (as the provider's Check returned them), AnalyzeStack the
 * outputs, parents and dependencies. Encrypted secrets are secret values that cannot be read.
 */
export async function checkState(opts: StateCheckOptions): Promise<CheckOutcome> {
    const log = opts.log ?? ((l: string) => process.stderr.write(l.endsWith("\n") ? l : l + "\n"));
    const { run, notes: stateNotes } = readState(opts.statePath, { values: {}, secretKeys: [] });
    const config = readStateConfig({
        project: run.project, configFile: opts.configFile, config: opts.config, secrets: opts.secrets,
    });
    run.config = config.values;
    run.secretKeys = config.secretKeys;
    const policyConfigFile = opts.policyConfigPath !== undefined ? readPolicyConfigFile(opts.policyConfigPath) : undefined;
    const policy = readPolicyProject(opts.packDir, loadYamlModule());
    for (const n of [...stateNotes, ...config.notes]) log(`note: ${n}`);
    const tags: Record<string, string> = run.project ? { "pulumi:project": run.project } : {};
    if (opts.baselinePath !== undefined) readBaseline(opts.baselinePath);
    const report = await analyzeRun({ run, policy, policyConfigFile, tags, program: opts.statePath, mode: "update", log });
    // The export's sourcePosition is relative to the project root, which the export does not name: locations stay
    // relative (no source walk).
    locateDiagnostics(report.diagnostics, locatedResources(run), {});
    return finishReport(report, opts);
}

export { EXIT_ERROR };
