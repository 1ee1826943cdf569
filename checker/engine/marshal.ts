// Property marshalling as the engine does for the Analyzer (Go plugin.MarshalProperties with KeepUnknowns,
// KeepSecrets and, except for Remediate, SkipInternalKeys; KeepResources off): secret wrappers stay, unknown
// sentinels stay, resource references are downgraded to their id (custom resources) or URN (components), and keys
// starting with "__" are dropped at every object level (MarshalProperties recurses with the same options).
import { RESOURCE_REF_SIG, SIG_KEY } from "../../policies/lib/wire";

export interface MarshalOptions {
    skipInternalKeys: boolean;
}

function isObject(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function marshalValue(v: unknown, opts: MarshalOptions): unknown {
    if (Array.isArray(v)) return v.map((x) => marshalValue(x, opts));
    if (!isObject(v)) return v;
    if (v[SIG_KEY] === RESOURCE_REF_SIG) {
        // A custom resource's reference carries its id (possibly the unknown sentinel); a component's has none.
        if (typeof v.id === "string" && v.id !== "") return v.id;
        return v.urn;
    }
    return marshalProperties(v, opts);
}

export function marshalProperties(props: Record<string, unknown>, opts: MarshalOptions): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(props).sort()) {
        if (opts.skipInternalKeys && k.startsWith("__")) continue;
        const v = props[k];
        if (v === undefined) continue;
        out[k] = marshalValue(v, opts);
    }
    return out;
}

/** Property dependencies as the engine sends them: keys with no dependencies are omitted. */
export function nonEmptyDependencies(deps: Record<string, string[]>): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(deps)) if (v.length) out[k] = v;
    return out;
}
