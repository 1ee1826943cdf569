// The plaintext-field table (policies/rules/cloud-fields.ts) as data: every row's own examples, run through the rule
// (gitleaks style), and every type token and top-level property checked against the pinned SDKs' type definitions.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { CLOUD_FIELDS } from "../../../policies/rules/cloud-fields";
import { checkCloudFields, parsePattern } from "../../../policies/rules/no-secrets-in-plaintext-cloud-fields";
import { RuleContext } from "../../../policies/lib/rule";
import { formatPath, JSON_MARK } from "../../../policies/lib/wire";
import { messages, subject, verdict } from "../../helpers/rule-cases";
import { repoRoot } from "../../helpers/check";

const ctx: RuleContext = { stackConfig: { available: false, values: new Map(), secretKeys: new Set() }, phase: "analyze" };

/** The pattern as a regex over formatted paths: `[]` any index, `*` any key, `{json}` itself. */
function patternRegExp(p: string): RegExp {
    let re = "";
    for (const seg of parsePattern(p)) {
        if ("key" in seg) re += (re ? "\\." : "") + seg.key.replace(/[$]/g, "\\$");
        else if ("any" in seg) re += seg.any === "item" ? "\\[\\d+\\]" : '(?:\\.[\\w$-]+|\\["[^"]*"\\])';
        else if (seg.decode === "json") re += "\\{json\\}";
    }
    return new RegExp(`property ${re} `);
}

describe("cloud-fields table", () => {
    it("ids are unique and every row has types, paths, a mechanism and both examples", () => {
        const ids = CLOUD_FIELDS.map((r) => r.id);
        assert.deepStrictEqual(ids, [...new Set(ids)]);
        for (const r of CLOUD_FIELDS) {
            assert.ok(r.types.length > 0 && r.paths.length > 0 && r.instead.length > 20 && r.what.length > 5, r.id);
            for (const p of r.paths) parsePattern(p);
        }
    });

    it("covers the three clouds (and Vault has no row)", () => {
        assert.deepStrictEqual([...new Set(CLOUD_FIELDS.map((r) => r.provider))].sort(), ["aws", "azure", "gcp"]);
    });

    for (const row of CLOUD_FIELDS) {
        describe(row.id, () => {
            it("flagged example: a finding at one of the row's paths, naming the field and the mechanism", () => {
                const o = checkCloudFields(subject(row.examples.type, row.examples.flagged, "ex"), { allowlist: [] }, ctx);
                assert.strictEqual(verdict(o), "fail", JSON.stringify(o));
                const ms = messages(o);
                const res = row.paths.map(patternRegExp);
                // A secret JSON document is reported as a whole when no entry can be singled out.
                const docs = row.paths.filter((p) => p.includes("{json}")).map((p) => new RegExp(`property ${p.split("{json}")[0]} is a Pulumi secret`));
                assert.ok(ms.every((m) => res.some((re) => re.test(m)) || docs.some((re) => re.test(m))), JSON.stringify(ms));
                assert.ok(ms.every((m) => m.includes(row.what) && m.includes(row.instead)));
            });

            it("clean example: no finding", () => {
                const o = checkCloudFields(subject(row.examples.type, row.examples.clean, "ex"), { allowlist: [] }, ctx);
                assert.strictEqual(verdict(o), "pass", JSON.stringify(o));
            });

            it("example type is one the row applies to", () => {
                assert.ok(row.types.some((t) => t === row.examples.type || (t.endsWith(":*") && row.examples.type.startsWith(t.slice(0, -1)))));
            });
        });
    }

    describe("type tokens and top-level properties exist in the pinned SDKs (rows marked `installed`)", () => {
        const modules = path.join(repoRoot(), "node_modules", "@pulumi");
        const PACKAGES: Record<string, string> = { aws: "aws", gcp: "gcp", "azure-native": "azure-native", azure: "azure" };

        /** `aws:lambda/function:Function` -> node_modules/@pulumi/aws/lambda/function.{js,d.ts}. */
        function files(token: string): { js: string; dts: string } | undefined {
            const [pkg, mod, name] = token.split(":");
            const dir = PACKAGES[pkg];
            if (!dir || !fs.existsSync(path.join(modules, dir))) return undefined;
            const folder = mod.includes("/") ? mod.split("/")[0] : mod;
            const file = mod.includes("/") ? mod.split("/")[1] : name[0].toLowerCase() + name.slice(1);
            const base = path.join(modules, dir, folder, file);
            return { js: `${base}.js`, dts: `${base}.d.ts` };
        }

        for (const row of CLOUD_FIELDS) {
            const exact = row.types.filter((t) => !t.endsWith(":*"));
            if (exact.length === 0) continue;
            it(`${row.id}: ${row.sdk === "installed" ? "every token is a resource of the installed SDK with the row's properties" : "marked `registry`: not in the installed SDKs"}`, () => {
                for (const t of exact) {
                    const f = files(t);
                    const found = f !== undefined && fs.existsSync(f.js) && fs.readFileSync(f.js, "utf8").includes(`__pulumiType = '${t}'`);
                    if (row.sdk === "registry") {
                        // When an SDK bump brings the resource in, verify its paths here and mark the row `installed`.
                        assert.ok(!found, `${t} is in the installed SDK now: mark ${row.id} as installed`);
                        continue;
                    }
                    assert.ok(found, `${t}: no such resource in the installed SDK`);
                    const dts = fs.readFileSync(f!.dts, "utf8");
                    const args = dts.slice(dts.indexOf("export interface " + t.split(":")[2] + "Args"));
                    const tops = row.paths.map((p) => p.split(/[.{[]/)[0]);
                    assert.ok(tops.some((top) => new RegExp(`\\n    ${top}\\??:`).test(args)), `${t}: none of ${tops.join(", ")} is an input`);
                }
            });
        }
    });
});

describe("parsePattern", () => {
    it("reads keys, wildcards, array items and decode steps", () => {
        assert.deepStrictEqual(parsePattern("containerDefinitions{json}[].environment[].value"), [
            { key: "containerDefinitions" }, { decode: "json" }, { any: "item" }, { key: "environment" }, { any: "item" }, { key: "value" },
        ]);
        assert.deepStrictEqual(parsePattern("tags.*"), [{ key: "tags" }, { any: "key" }]);
        assert.deepStrictEqual(parsePattern("userData{base64}"), [{ key: "userData" }, { decode: "base64" }]);
        assert.strictEqual(formatPath(["containerDefinitions", JSON_MARK, 0, "environment", 1, "value"]), "containerDefinitions{json}[0].environment[1].value");
    });

    it("rejects what it does not understand", () => {
        assert.throws(() => parsePattern("tags.#"), /bad path pattern/);
        assert.throws(() => parsePattern(""), /empty path pattern/);
    });
});
