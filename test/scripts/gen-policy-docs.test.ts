import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { DETECTOR_DOCS, DOCS_PATH, renderPolicyDocs } from "../../scripts/gen-policy-docs";
import { DETECTORS } from "../../policies/detection/detectors";
import { POLICY_MODULES } from "../../policies/registry";
import { CLOUD_FIELDS } from "../../policies/rules/cloud-fields";

describe("docs/policies.md", () => {
    it("is current with the policies' metadata (run `npm run docs` to regenerate)", () => {
        const root = path.resolve(__dirname, "..", "..", "..");
        const committed = fs.readFileSync(path.join(root, DOCS_PATH), "utf8");
        assert.strictEqual(committed, renderPolicyDocs(POLICY_MODULES.map((m) => m.meta)), "docs/policies.md is stale: run `npm run docs`");
    });

    it("lists every registered policy with its level and severity", () => {
        const text = renderPolicyDocs(POLICY_MODULES.map((m) => m.meta));
        for (const m of POLICY_MODULES) {
            assert.ok(text.includes(`| \`${m.meta.name}\` | ${m.meta.enforcementLevel} | ${m.meta.severity} |`), m.meta.name);
        }
    });

    it("lists the plaintext cloud field table of no-secrets-in-plaintext-cloud-fields from its data, one line per row", () => {
        const text = renderPolicyDocs(POLICY_MODULES.map((m) => m.meta));
        const section = text.slice(text.indexOf("## Plaintext cloud fields"));
        assert.ok(section.length > 0 && text.includes("## Plaintext cloud fields"));
        for (const r of CLOUD_FIELDS) {
            const line = section.split("\n").find((l) => l.includes(` ${r.what} `));
            assert.ok(line, r.id);
            for (const t of r.types) assert.ok(line!.includes(`\`${t}\``), `${r.id}: ${t}`);
            for (const p of r.paths) assert.ok(line!.includes(`\`${p}\``), `${r.id}: ${p}`);
        }
    });

    it("lists every detector of the table with its keywords, and every key rule", () => {
        const text = renderPolicyDocs(POLICY_MODULES.map((m) => m.meta));
        const section = text.slice(text.indexOf("## Detectors"));
        assert.ok(section.startsWith("## Detectors"), "no Detectors section");
        for (const d of DETECTORS) {
            const row = section.split("\n").find((l) => l.startsWith(`| \`${d.id}\` |`));
            assert.ok(row, `${d.id} missing`);
            for (const k of d.keywords) assert.ok(row!.includes(`\`${k}\``), `${d.id}: keyword ${k} missing`);
        }
        for (const id of ["secret-key-name", "schema-secret-input", "placeholder"]) assert.ok(section.includes(`| \`${id}\` |`), id);
        assert.strictEqual(section.split("\n").filter((l) => /^\| `[a-z0-9-]+` \|/.test(l)).length, DETECTOR_DOCS.length);
    });
});
