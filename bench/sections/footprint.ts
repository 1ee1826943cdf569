// 6. Footprint: the npm tarball, the production install of our runtime dependencies, beside awsguard's.
import * as fs from "fs";
import * as path from "path";
import { REPO, SCRATCH } from "../lib/harness";
import { duBytes, npm, Peer } from "../lib/peers";
import { fmtBytes, metIf, ratio, Row, SectionResult } from "../lib/report";

export async function footprint(peers: Peer[], log: (s: string) => void): Promise<SectionResult> {
    const rows: Row[] = [];
    const notes: string[] = [];
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8"));

    // Tarball, as `npm pack` (and so `pulumi policy publish`) would build it.
    const dry = JSON.parse(npm(["pack", "--dry-run", "--json", "--ignore-scripts"], REPO))[0];
    const files: string[] = dry.files.map((f: { path: string }) => f.path);
    const hasMain = files.includes(pkg.main);
    rows.push({
        section: "6 footprint", measure: `npm pack tarball (${dry.entryCount} files, unpacked ${fmtBytes(dry.unpackedSize)})`,
        ours: fmtBytes(dry.size), baseline: "", ratio: "", target: `holds main (${pkg.main})`, met: metIf(hasMain),
    });
    const top = new Map<string, number>();
    for (const f of files) top.set(f.split("/")[0], (top.get(f.split("/")[0]) ?? 0) + 1);
    notes.push(`npm pack --dry-run: files by top-level entry: ${[...top].map(([k, v]) => `${k} ${v}`).join(", ")}. ` +
        `package.json "main" (${pkg.main}) is ${hasMain ? "" : "NOT "}in the tarball` +
        (hasMain ? "." : ` (package.json has no "files" field and there is no .npmignore, so npm falls back to .gitignore, which excludes dist/).`));

    // Production install of the packed tarball into a scratch directory.
    const dir = path.join(SCRATCH, "footprint");
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    let ours = NaN;
    try {
        const out = JSON.parse(npm(["pack", "--json", "--ignore-scripts", "--pack-destination", dir], REPO))[0];
        const tarball = path.join(dir, out.filename);
        const inst = path.join(dir, "install");
        fs.mkdirSync(inst);
        fs.writeFileSync(path.join(inst, "package.json"), JSON.stringify({ name: "footprint-probe", private: true }));
        log("  footprint: npm install --omit=dev of the packed tarball ...");
        npm(["install", "--omit=dev", "--no-audit", "--no-fund", "--ignore-scripts", tarball], inst);
        ours = duBytes(path.join(inst, "node_modules"));
    } catch (e: any) {
        notes.push(`production install not measured: ${String(e?.message ?? e).split("\n")[0].slice(0, 200)}`);
    }
    const ag = peers.find((p) => p.name.includes("awsguard"));
    const agBytes = ag?.nodeModules ? duBytes(ag.nodeModules) : NaN;
    rows.push({
        section: "6 footprint", measure: "production install (npm install --omit=dev of the tarball), du -sb node_modules",
        ours: fmtBytes(ours), baseline: ag?.nodeModules ? `${ag.name} install ${fmtBytes(agBytes)}` : (ag?.notMeasured ?? "awsguard not measured"),
        ratio: ratio(ours, agBytes), target: "", met: "",
    });
    const deps = Object.keys(pkg.dependencies ?? {}).sort();
    // The pack needs @pulumi/policy and @pulumi/pulumi; the checker, shipped in the same package as the
    // `ml-secrets-guard` bin, also loads ajv (--policy-config) and js-yaml (Pulumi.<stack>.yaml) at run time.
    const allowed = ["@pulumi/policy", "@pulumi/pulumi", "ajv", "js-yaml"];
    rows.push({
        section: "6 footprint", measure: "runtime dependencies (package.json dependencies)", ours: deps.join(", ") || "none",
        baseline: "", ratio: "", target: `only ${allowed.join(", ")}`, met: metIf(deps.every((d) => allowed.includes(d))),
    });
    notes.push(`awsguard's figure is its own production install (npm install --no-save of @pulumi/awsguard, which pulls @pulumi/aws 4 and aws-sdk 2).`);
    return { title: "6. Footprint", rows, notes };
}
