// How a remediation is reported, whether the checker ran it (Remediate over gRPC) or read it from the engine's
// `policyRemediationEvent`: the top-level properties it changed, never their values.

/** JSON text with object keys sorted, so two serializations of the same value compare equal. */
function stableJson(v: unknown, depth = 0): string {
    if (depth > 512 || v === null || typeof v !== "object") return JSON.stringify(v) ?? "undefined";
    if (Array.isArray(v)) return `[${v.map((x) => stableJson(x, depth + 1)).join(",")}]`;
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${stableJson(o[k], depth + 1)}`).join(",")}}`;
}

/** Top-level property names whose values differ between `before` and `after` (added and removed ones included). */
export function changedProperties(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
    return Object.keys({ ...before, ...after })
        .filter((k) => !(k in before) || !(k in after) || stableJson(before[k]) !== stableJson(after[k]))
        .sort();
}

/** The diagnostic message of a remediation. */
export function remediationMessage(changed: string[]): string {
    return `remediated by the policy pack (properties changed: ${changed.join(", ") || "none"}); ` +
        `the program as written does not comply`;
}
