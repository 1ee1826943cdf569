// The labelled detection set (test/fixtures/detection/labelled.json), shared by the detection tests.
import * as fs from "fs";
import * as path from "path";

export interface Labelled {
    value: string;
    positive: boolean;
    detector?: string;
    note: string;
}

/** Repo root from dist/test/policies/detection (compiled) or test/policies/detection (source). */
function repoRoot(): string {
    let dir = __dirname;
    while (!fs.existsSync(path.join(dir, "package.json"))) {
        const up = path.dirname(dir);
        if (up === dir) throw new Error("package.json not found above " + __dirname);
        dir = up;
    }
    return dir;
}

export function loadLabelled(): Labelled[] {
    return JSON.parse(fs.readFileSync(path.join(repoRoot(), "test", "fixtures", "detection", "labelled.json"), "utf8"));
}
