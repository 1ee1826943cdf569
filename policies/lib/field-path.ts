// How a config problem names its field: `allowlist[0].urn`, `extraPatterns[3]`, `["weird key"].x`. One formatter for
// the pack's validator (config-schema.ts) and the checker's ajv errors (checker/policy-config.ts), so both name a
// field the same way. Pure and import-free: the checker may import it without loading the pack.

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** The path of `key` inside `parent` ("" is the config itself). Odd names are quoted and cut short (they are keys, never values). */
export function childField(parent: string, key: string | number): string {
    if (typeof key === "number") return `${parent}[${key}]`;
    if (IDENTIFIER.test(key)) return parent === "" ? key : `${parent}.${key}`;
    return `${parent}[${JSON.stringify(key.length > 60 ? key.slice(0, 60) + "..." : key)}]`;
}

/** A JSON pointer (`/allowlist/0/urn`, as ajv's instancePath) as a field path (`allowlist[0].urn`). */
export function fieldFromPointer(pointer: string): string {
    if (pointer === "") return "";
    let out = "";
    for (const raw of pointer.slice(1).split("/")) {
        const seg = raw.replace(/~1/g, "/").replace(/~0/g, "~");
        out = childField(out, /^(0|[1-9][0-9]*)$/.test(seg) && out !== "" ? Number(seg) : seg);
    }
    return out;
}
