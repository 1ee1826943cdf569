// Provenance: could a string have come from somewhere other than the program's source text? Pure.
//
// A value is "explained" by a set of source strings (stack config values, other resources' outputs) when taking
// every occurrence of those strings out of it leaves nothing secret-shaped behind: `Bearer <secret config>` is
// explained, `hunter2-<region config>` is not.
import { StackConfigView } from "../lib/rule";

/** Sources shorter than this only explain a value they equal exactly (so `dev` or `true` cannot launder a secret). */
export const MIN_CONTAINED_SOURCE = 6;

/** Words that frame a secret without being part of it. */
const FRAMING_WORDS = /\b(?:bearer|basic|token|apikey|api[-_]key|key|secret|password|pwd|authorization|auth)\b/gi;

/** The remainder's alphanumeric content after framing words are removed. */
export function residue(s: string): string {
    return s.replace(FRAMING_WORDS, " ").replace(/[^A-Za-z0-9]+/g, "");
}

export interface Explanation {
    explained: boolean;
    /** What is left of the value once the sources are taken out. */
    remainder: string;
    /** The sources that occurred in the value. */
    used: string[];
}

/**
 * Takes every occurrence of each source out of `value`. Sources are tried longest first, so a long secret that
 * contains a short config value is removed whole.
 */
export function removeSources(value: string, sources: Iterable<string>): Explanation {
    const sorted = [...new Set(sources)].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
    let remainder = value;
    const used: string[] = [];
    for (const src of sorted) {
        if (remainder === src) {
            used.push(src);
            remainder = "";
            break;
        }
        if (src.length < MIN_CONTAINED_SOURCE) continue;
        if (remainder.includes(src)) {
            used.push(src);
            remainder = remainder.split(src).join("\u0000");
        }
    }
    remainder = remainder.split("\u0000").join(" ");
    return { explained: used.length > 0 && residue(remainder).length < 4, remainder, used };
}

/** Every config value as a string, plus the string leaves of config values that hold JSON objects. */
export function configStrings(cfg: StackConfigView, onlySecret = false): Map<string, string[]> {
    const out = new Map<string, string[]>();
    const add = (v: string, key: string) => {
        const keys = out.get(v);
        if (keys) keys.push(key);
        else out.set(v, [key]);
    };
    for (const [key, value] of cfg.values) {
        if (onlySecret && !cfg.secretKeys.has(key)) continue;
        if (typeof value !== "string" || value.length === 0) continue;
        add(value, key);
        const t = value.trim();
        if ((t.startsWith("{") && t.endsWith("}")) || (t.startsWith("[") && t.endsWith("]"))) {
            try {
                const stack: unknown[] = [JSON.parse(t)];
                while (stack.length) {
                    const v = stack.pop();
                    if (typeof v === "string" && v.length > 0) add(v, key);
                    else if (Array.isArray(v)) stack.push(...v);
                    else if (v && typeof v === "object") stack.push(...Object.values(v as object));
                }
            } catch {
                // Not JSON after all: the whole string was added above.
            }
        }
    }
    return out;
}
