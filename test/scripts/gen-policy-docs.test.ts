import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { DOCS_PATH, renderPolicyDocs } from "../../scripts/gen-policy-docs";
import { POLICY_MODULES } from "../../policies/registry";

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
});
