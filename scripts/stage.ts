// Writes the directory that is published (`npm run stage`, then `npm publish` or `pulumi policy publish` there):
// exactly the files package.json `files` selects (as `npm pack` lists them), and a package.json without
// devDependencies and scripts. Without devDependencies, npm's production install (what policy enforcement runs)
// has no typescript: npm keeps a root devDependency that a production package declares as an optional peer
// (@pulumi/pulumi declares typescript so), so publishing from the checkout itself would install it.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

/** package.json fields the published package keeps; everything else (devDependencies, scripts) is dropped. */
const KEPT_FIELDS = ["name", "version", "description", "license", "repository", "keywords", "main", "bin", "files", "dependencies", "engines"];

export interface StageResult {
    dir: string;
    files: string[];
}

/** The files `npm pack` would take from `root` (package.json `files`, plus package.json and README). */
export function packedFiles(root: string): string[] {
    const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
        cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, npm_config_update_notifier: "false" },
    });
    const info = JSON.parse(out.slice(out.indexOf("[")))[0];
    return (info.files as Array<{ path: string }>).map((f) => f.path).sort();
}

export function stage(root: string, outDir: string): StageResult {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
    if (!fs.existsSync(path.join(root, "dist", "checker", "cli.js"))) {
        throw new Error(`${root}/dist is not built: run npm run build first`);
    }
    fs.rmSync(outDir, { recursive: true, force: true });
    fs.mkdirSync(outDir, { recursive: true });
    const files = packedFiles(root).filter((f) => f !== "package.json");
    for (const f of files) {
        const to = path.join(outDir, f);
        fs.mkdirSync(path.dirname(to), { recursive: true });
        fs.copyFileSync(path.join(root, f), to);
    }
    const staged: Record<string, unknown> = {};
    for (const k of KEPT_FIELDS) if (pkg[k] !== undefined) staged[k] = pkg[k];
    fs.writeFileSync(path.join(outDir, "package.json"), JSON.stringify(staged, null, 2) + "\n");
    return { dir: outDir, files: [...files, "package.json"].sort() };
}

if (require.main === module) {
    const root = path.resolve(__dirname, "..", "..");
    const out = process.argv[2] ? path.resolve(process.argv[2]) : path.join(root, "dist", "publish");
    const r = stage(root, out);
    process.stdout.write(`staged ${r.files.length} files in ${path.relative(process.cwd(), r.dir) || "."}; ` +
        `publish from there: cd ${path.relative(process.cwd(), r.dir)} && pulumi policy publish <org> (or npm publish)\n`);
}
