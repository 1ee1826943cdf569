// Validates the policy configuration the engine sends in Configure, so a wrong config is a clear error from the
// pack itself, whatever the CLI checked. Policy names must be known; each policy's properties must fit its schema.
import { resolveConfig } from "./config-schema";
import { PolicyMeta } from "./rule";
import { schemaOf } from "./adapter";

export function validatePackConfig(
    metas: PolicyMeta[],
    received: Record<string, { enforcementLevel: string; properties: unknown }>,
): string[] {
    const problems: string[] = [];
    const byName = new Map(metas.map((m) => [m.name, m]));
    for (const [name, entry] of Object.entries(received)) {
        if (name === "all") continue;
        const meta = byName.get(name);
        if (!meta) {
            problems.push(`unknown policy '${name.slice(0, 100)}' (known: ${metas.map((m) => m.name).join(", ")})`);
            continue;
        }
        const { problems: ps } = resolveConfig(schemaOf(meta), entry.properties);
        for (const p of ps) problems.push(`${name}: ${p.field}: ${p.problem}`);
    }
    return problems;
}
