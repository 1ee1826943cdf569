// Pulumi's "Calling [toJSON|toString] on an [Output<T>] is not supported" warning text, found in a string. It is what
// `JSON.stringify(...)` (toJSON) or a template literal / string concatenation (toString) of an Output stores in a
// resource input: the program's value never reached the resource. Not a secret; a bug that
// `no-stringified-outputs` reports. Pure: no @pulumi imports.
import { findCredentialFormats } from "./formats";

/** The warning's first line, as @pulumi/pulumi's output.ts writes it, for each Output method. */
export const STRINGIFIED_OUTPUT_HEADS = {
    toJSON: "Calling [toJSON] on an [Output<T>] is not supported.",
    toString: "Calling [toString] on an [Output<T>] is not supported.",
} as const;

export type StringifyMethod = keyof typeof STRINGIFIED_OUTPUT_HEADS;

/** The last words of each warning's body, and the sentence newer SDKs append after it. */
const BODY_ENDS: Record<StringifyMethod, string> = {
    toJSON: "for more details.",
    toString: "in template literals.",
};
const SUFFIX = "This function may throw in a future version of @pulumi/pulumi.";

/** Common to both heads: one indexOf decides that most strings hold no warning. */
const GATE = "] on an [Output<T>] is not supported";
/** Text put where a warning was, when what surrounds it is checked: keeps `user:pass@<warning>/db` a URL. */
const STAND_IN = "output";

export interface StringifiedOutput {
    method: StringifyMethod;
    /** The warning's span in the string: its head to the end of its body (and suffix) or to the end of the string. */
    start: number;
    end: number;
}

/**
 * A forward-only search for one needle: the next occurrence at or after `from`, remembered so that asking again
 * with a larger `from` rescans nothing already passed. Keeps a search over many warnings linear.
 */
function forwardSearch(s: string, needle: string): (from: number) => number {
    let at = -2; // not searched yet
    return (from) => {
        if (at === -1 || (at >= from && at !== -2)) return at;
        at = s.indexOf(needle, from);
        return at;
    };
}

/** Every warning text in `s`, in order. Linear: each needle's search only moves forward. */
export function findStringifiedOutputs(s: string): StringifiedOutput[] {
    if (typeof s !== "string" || s.indexOf(GATE) === -1) return [];
    const methods = Object.keys(STRINGIFIED_OUTPUT_HEADS) as StringifyMethod[];
    const head = new Map(methods.map((m) => [m, forwardSearch(s, STRINGIFIED_OUTPUT_HEADS[m])]));
    const bodyEnd = new Map(methods.map((m) => [m, forwardSearch(s, BODY_ENDS[m])]));
    const suffix = forwardSearch(s, SUFFIX);
    const out: StringifiedOutput[] = [];
    let from = 0;
    for (;;) {
        let next: { method: StringifyMethod; at: number } | undefined;
        for (const method of methods) {
            const at = head.get(method)!(from);
            if (at !== -1 && (next === undefined || at < next.at)) next = { method, at };
        }
        if (!next) return out;
        const bodyFrom = next.at + STRINGIFIED_OUTPUT_HEADS[next.method].length;
        let nextHead = s.length;
        for (const method of methods) {
            const at = head.get(method)!(bodyFrom);
            if (at !== -1 && at < nextHead) nextHead = at;
        }
        const endAt = bodyEnd.get(next.method)!(bodyFrom);
        let end = endAt !== -1 && endAt < nextHead ? endAt + BODY_ENDS[next.method].length : nextHead;
        const suffixAt = suffix(end);
        if (suffixAt !== -1 && suffixAt < nextHead && s.slice(end, suffixAt).trim() === "") end = suffixAt + SUFFIX.length;
        out.push({ method: next.method, start: next.at, end });
        from = end;
    }
}

/** `s` with every warning replaced by a neutral stand-in, so what the program wrote around it can be checked. */
export function withoutStringifiedOutputs(s: string, found: StringifiedOutput[] = findStringifiedOutputs(s)): string {
    let out = "";
    let at = 0;
    for (const f of found) {
        out += s.slice(at, f.start) + STAND_IN;
        at = f.end;
    }
    return out + s.slice(at);
}

/**
 * True when `s` holds the warning and nothing the program wrote around it matches a credential format: the string
 * is not a hard-coded secret (`Bearer ${token}` with an Output gives `Bearer Calling [toString]...`). A string that
 * also carries a credential (`postgres://admin:<password>@${db.address}`) is still scanned.
 */
export function isStringifiedOutput(s: string): boolean {
    if (typeof s !== "string" || s.indexOf(GATE) === -1) return false; // most strings: one native search, no allocation
    const found = findStringifiedOutputs(s);
    if (found.length === 0) return false;
    return findCredentialFormats(withoutStringifiedOutputs(s, found)).length === 0;
}
