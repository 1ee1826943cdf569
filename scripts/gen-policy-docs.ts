// Generates docs/policies.md from the policies' own metadata. Run: `npm run docs`. A test fails when the
// committed file is stale.
import * as fs from "fs";
import * as path from "path";
import { JsonSchema, PolicyMeta } from "../policies/lib/rule";
import { schemaOf } from "../policies/lib/adapter";

function cell(s: string): string {
    return s.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function framework(m: PolicyMeta): string {
    return m.framework ? `${m.framework.name} ${m.framework.version} §${m.framework.reference}` : "—";
}

export function renderPolicyDocs(metas: PolicyMeta[]): string {
    const lines: string[] = [
        "# Policies",
        "",
        "<!-- Generated from the policies' metadata by `npm run docs`. Do not edit by hand: a test fails when this file is stale. -->",
        "",
        "| Policy | Level | Severity | Framework | What it checks | How to fix |",
        "|---|---|---|---|---|---|",
    ];
    for (const m of metas) {
        lines.push(`| \`${m.name}\` | ${m.enforcementLevel} | ${m.severity} | ${cell(framework(m))} | ${cell(m.checks)} | ${cell(m.remediationSteps)} |`);
    }
    lines.push("", "## Configuration", "");
    lines.push("Set with `pulumi preview --policy-pack <dir> --policy-pack-config <file>`, or in the policy group in Pulumi Cloud. ",
        "Every policy also accepts `enforcementLevel` (`advisory`, `mandatory`, `remediate`, `disabled`).", "");
    for (const m of metas) {
        lines.push(`### \`${m.name}\``, "", m.description, "");
        lines.push("| Setting | Type | Default | Description |", "|---|---|---|---|");
        for (const [k, s] of Object.entries(schemaOf(m).properties) as [string, JsonSchema][]) {
            const type = s.type === "array" && s.items?.type ? `${s.items.type}[]` : s.type ?? "any";
            lines.push(`| \`${k}\` | ${type} | \`${JSON.stringify(s.default ?? null)}\` | ${cell(s.description ?? "")} |`);
        }
        lines.push("");
    }
    return lines.join("\n");
}

export const DOCS_PATH = path.join("docs", "policies.md");

if (require.main === module) {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { POLICY_MODULES } = require("../policies/registry");
    const root = path.resolve(__dirname, "..", "..");
    fs.writeFileSync(path.join(root, DOCS_PATH), renderPolicyDocs(POLICY_MODULES.map((m: { meta: PolicyMeta }) => m.meta)));
    process.stderr.write(`wrote ${DOCS_PATH}\n`);
}
