// Generates docs/policies.md from the policies' own metadata. Run: `npm run docs`. A test fails when the
// committed file is stale.
import * as fs from "fs";
import * as path from "path";
import { JsonSchema, PolicyMeta } from "../policies/lib/rule";
import { schemaOf } from "../policies/lib/adapter";
import { CLOUD_FIELDS, CloudField } from "../policies/rules/cloud-fields";
import { DETECTORS } from "../policies/detection/detectors";
import { KEY_DETECTORS } from "../policies/detection/scan";

/** What the Detectors section lists: the format table's rows and the key rules. */
export interface DetectorDoc {
    id: string;
    description: string;
    /** Case-insensitive prefilter keywords; empty for the key rules. */
    keywords: readonly string[];
}

export const DETECTOR_DOCS: readonly DetectorDoc[] = [
    ...DETECTORS.map((d) => ({ id: d.id, description: d.description, keywords: d.keywords })),
    ...KEY_DETECTORS.map((d) => ({ id: d.id, description: d.description, keywords: [] })),
];

function cell(s: string): string {
    return s.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function framework(m: PolicyMeta): string {
    return m.framework ? `${m.framework.name} ${m.framework.version} §${m.framework.reference}` : "—";
}

export function renderPolicyDocs(metas: PolicyMeta[], detectors: readonly DetectorDoc[] = DETECTOR_DOCS): string {
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
    lines.push(...renderCloudFields(CLOUD_FIELDS));
    lines.push("## Detectors", "",
        "What `no-hardcoded-secrets` (and `no-plaintext-secret-exports`, for credential formats) looks for. The ids are stable: " +
        "name them in `disabledDetectors` to turn a detector off. A credential-format detector runs on a string only when the " +
        "string holds one of its keywords (case-insensitive), or when the property key names its secret. Generated from the " +
        "detector table in `policies/detection/detectors.ts`.", "");
    lines.push("| Detector | What it finds | Keywords |", "|---|---|---|");
    for (const d of detectors) {
        const keywords = d.keywords.length ? d.keywords.map((k) => `\`${k}\``).join(", ") : "— (a rule on the property key)";
        lines.push(`| \`${d.id}\` | ${cell(d.description)} | ${cell(keywords)} |`);
    }
    lines.push("");
    return lines.join("\n");
}

const PROVIDER_NAMES: Record<CloudField["provider"], string> = { aws: "AWS", gcp: "Google Cloud", azure: "Azure" };

/** The plaintext-field table of no-secrets-in-plaintext-cloud-fields, from its data (policies/rules/cloud-fields.ts). */
export function renderCloudFields(rows: readonly CloudField[]): string[] {
    const code = (s: string) => `\`${s}\``;
    const lines = [
        "## Plaintext cloud fields (`no-secrets-in-plaintext-cloud-fields`)",
        "",
        "<!-- Generated from policies/rules/cloud-fields.ts. -->",
        "",
        "The fields the policy checks. A value there is flagged when it is a Pulumi secret (a secret unknown in preview " +
            "too), holds secret config, or matches a credential format; references (ARNs, SSM and Secret Manager names, " +
            "Key Vault references) never are. Paths: `*` any key, `[]` any item, `{json}` a JSON document held in the " +
            "string, `{base64}` base64-encoded text. HashiCorp Vault: no rows (Vault resources hold secrets by design). " +
            "Rows marked † name resources of provider versions newer than the pinned SDKs (or the classic `azure` " +
            "provider), checked against the Pulumi registry docs.",
        "",
        "| Provider | Field | Resource types | Paths | Use instead |",
        "|---|---|---|---|---|",
    ];
    for (const r of rows) {
        const types = r.types.map(code).join(", ") + (r.sdk === "registry" ? " †" : "");
        lines.push(`| ${PROVIDER_NAMES[r.provider]} | ${cell(r.what)} | ${cell(types)} | ${cell(r.paths.map(code).join(", "))} | ${cell(r.instead)} |`);
    }
    lines.push("");
    return lines;
}

export const DOCS_PATH = path.join("docs", "policies.md");

if (require.main === module) {
    const { POLICY_MODULES } = require("../policies/registry");
    const root = path.resolve(__dirname, "..", "..");
    fs.writeFileSync(path.join(root, DOCS_PATH), renderPolicyDocs(POLICY_MODULES.map((m: { meta: PolicyMeta }) => m.meta)));
    process.stderr.write(`wrote ${DOCS_PATH}\n`);
}
