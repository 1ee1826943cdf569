// Peer policy packs, installed at run time into bench/.scratch/ (never project dependencies).
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { SCRATCH } from "./harness";

/** Pinned so the figures are comparable run to run (`npm view @pulumi/awsguard version`: 0.3.1 when written). */
export const AWSGUARD_VERSION = "0.3.1";

export interface Peer {
    name: string;
    /** The pack directory, when installed. */
    dir?: string;
    /** Why it is not measured. */
    notMeasured?: string;
    /** node_modules of the peer's production install, when installed. */
    nodeModules?: string;
}

function npm(args: string[], cwd: string, timeoutMs = 300000): string {
    return execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: timeoutMs });
}

function reason(e: any): string {
    const text = `${e?.stderr ?? ""}\n${e?.message ?? ""}`;
    const code = /npm error code (\S+)/.exec(text)?.[1];
    const line = text.split("\n").find((l) => /ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNREFUSED/.test(l));
    return (code ? `npm ${code}` : "npm failed") + (line ? `: ${line.replace(/^npm error\s*/, "").trim().slice(0, 160)}` : "");
}

/** @pulumi/awsguard as a pack: `new AwsGuard({ all: "mandatory" })`, installed with npm --no-save --prefix. */
export function awsguard(log: (s: string) => void): Peer {
    const dir = path.join(SCRATCH, "awsguard");
    const name = `@pulumi/awsguard ${AWSGUARD_VERSION}`;
    const installed = path.join(dir, "node_modules", "@pulumi", "awsguard", "package.json");
    try {
        const have = fs.existsSync(installed) ? String(JSON.parse(fs.readFileSync(installed, "utf8")).version) : undefined;
        // Its package.json says "v0.3.1".
        if (have?.replace(/^v/, "") !== AWSGUARD_VERSION) {
            log(`installing @pulumi/awsguard@${AWSGUARD_VERSION} into ${path.relative(process.cwd(), dir)} ...`);
            fs.mkdirSync(dir, { recursive: true });
            npm(["install", "--no-save", "--no-audit", "--no-fund", "--prefix", dir, `@pulumi/awsguard@${AWSGUARD_VERSION}`], dir);
        }
    } catch (e) {
        return { name, notMeasured: `not measured: ${reason(e)}` };
    }
    fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "description: awsguard with every policy mandatory (benchmark peer)\nruntime: nodejs\n");
    fs.writeFileSync(path.join(dir, "index.js"),
        "\"use strict\";\nconst { AwsGuard } = require(\"@pulumi/awsguard\");\nnew AwsGuard({ all: \"mandatory\" });\n");
    // --no-save leaves no package.json; run-policy-pack loads the directory, so give it one.
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "awsguard-bench-pack", version: "0.0.0", private: true, main: "index.js" }, null, 2));
    return { name, dir, nodeModules: path.join(dir, "node_modules") };
}

/**
 * A pack built on pulumi/compliance-policies' published npm package, if there is one. The repository's packages are
 * looked up by the name the brief gives; when the registry has none, the peer is reported as not measured.
 */
export function compliancePolicies(): Peer {
    const name = "@pulumi/compliance-policies";
    try {
        const v = npm(["view", name, "version", "--json"], SCRATCH, 60000).trim();
        return { name: `${name} ${JSON.parse(v)}`, notMeasured: "not measured: published, but no pack wrapper is written for it yet" };
    } catch (e) {
        return { name, notMeasured: `not measured: ${reason(e)}`.slice(0, 60) + " (not on the npm registry)" };
    }
}

export function duBytes(dir: string): number {
    const out = execFileSync("du", ["-sb", dir], { encoding: "utf8" });
    return Number(out.split(/\s+/)[0]);
}

export { npm };
