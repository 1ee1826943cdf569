// Vetting of user-supplied extra patterns (policy config `extraPatterns`): the only regexes whose cost the pack does
// not control. Pure: no @pulumi imports. The engine (formats.ts) runs the compiled patterns on at most the first
// EXTRA_PATTERN_MAX_INPUT characters of a string.
import { DETECTORS } from "./detectors";

/** A user-supplied regex source from policy config. */
export interface ExtraPattern {
    id: string;
    pattern: string;
}

/** A vetted, compiled user pattern, as findCredentialFormats takes it. */
export interface CompiledPattern {
    id: string;
    re: RegExp;
}

/**
 * The limits of an `extraPatterns` entry, stated once: the config schema (policies/no-hardcoded-secrets.ts) uses
 * these constants, and compileExtraPatterns checks the same ones for a config that did not go through the schema.
 */
export const EXTRA_PATTERN_ID_PATTERN = "^[a-z0-9][a-z0-9-]{0,63}$";
export const EXTRA_PATTERN_MAX_LENGTH = 512;
const ID_RE = new RegExp(EXTRA_PATTERN_ID_PATTERN);
const BUILTIN_IDS = new Set(DETECTORS.map((d) => d.id));

/**
 * A cheap static check for catastrophic backtracking: a quantified group that itself contains a quantifier
 * (`(a+)+`, `(\w*x)*`, `(a{1,9}){2,}`), an unbounded quantified group with alternation (`(a|ab)*`), or a
 * backreference. Returns a reason, or undefined when the pattern looks safe.
 */
export function backtrackingRisk(src: string): string | undefined {
    if (/\\[1-9]|\\k</.test(src)) return "uses a backreference";
    // Walk the pattern, tracking for each open group whether it contains a quantifier / alternation.
    const stack: { quant: boolean; alt: boolean }[] = [];
    let inClass = false;
    let lastGroup: { quant: boolean; alt: boolean } | undefined;
    for (let i = 0; i < src.length; i++) {
        const ch = src[i];
        if (ch === "\\") {
            i++;
            lastGroup = undefined;
            continue;
        }
        if (inClass) {
            if (ch === "]") inClass = false;
            continue;
        }
        if (ch === "[") {
            inClass = true;
            lastGroup = undefined;
            continue;
        }
        if (ch === "(") {
            stack.push({ quant: false, alt: false });
            lastGroup = undefined;
            continue;
        }
        if (ch === ")") {
            const g = stack.pop() ?? { quant: false, alt: false };
            lastGroup = g;
            // A group inherits its children's quantifiers for the enclosing group's check.
            if (stack.length > 0) {
                const parent = stack[stack.length - 1];
                parent.quant = parent.quant || g.quant;
            }
            continue;
        }
        const isQuant = ch === "*" || ch === "+" || ch === "?" || (ch === "{" && /^\{\d+(,\d*)?\}/.test(src.slice(i, i + 12)));
        if (isQuant) {
            let unbounded = ch === "*" || ch === "+";
            let repeats = ch !== "?";
            if (ch === "{") {
                const q = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(i, i + 24))!;
                unbounded = q[2] !== undefined && q[3] === "";
                repeats = unbounded || Number(q[3] ?? q[1]) > 1;
                i += q[0].length - 1;
            }
            if (lastGroup && repeats) {
                if (lastGroup.quant) return "has a nested quantifier";
                if (lastGroup.alt && unbounded) return "has alternation under an unbounded quantifier";
            }
            if (repeats && stack.length > 0) stack[stack.length - 1].quant = true;
            if (src[i + 1] === "?" || src[i + 1] === "+") i++; // lazy / possessive-looking suffix
            lastGroup = undefined;
            continue;
        }
        if (ch === "|" && stack.length > 0) stack[stack.length - 1].alt = true;
        lastGroup = undefined;
    }
    return undefined;
}

/** Probe budget per input: a linear pattern takes well under a millisecond on these lengths. */
const PROBE_LENGTHS = [256, 4096];
const PROBE_BUDGET_MS = 8;

/**
 * A run-time check behind the static one: times the pattern on inputs made of its own literal characters (the
 * near-miss runs that make `a.*b.*c` quadratic). Lengths grow, so a super-linear pattern is caught on a short input
 * before it can take long.
 */
function slowOnProbes(re: RegExp, src: string): string | undefined {
    const chars = new Set<string>();
    for (let i = 0; i < src.length && chars.size < 10; i++) {
        let ch = src[i];
        if (ch === "\\") {
            const n = src[++i] ?? "";
            ch = n === "d" ? "0" : n === "w" ? "a" : n === "s" ? " " : /[A-Za-z]/.test(n) ? "" : n;
        } else if (ch === ".") ch = "a";
        else if ("()[]{}*+?|^$".includes(ch)) ch = "";
        if (ch) chars.add(ch);
    }
    if (chars.size === 0) chars.add("a");
    const units = [...chars, [...chars].join("")];
    for (const len of PROBE_LENGTHS) {
        for (const u of units) {
            const probe = u.repeat(Math.ceil(len / u.length)).slice(0, len);
            const t0 = process.hrtime.bigint();
            re.lastIndex = 0;
            let n = 0;
            while (re.exec(probe) !== null && n++ < 10000) {
                if (re.lastIndex === 0) break;
            }
            re.lastIndex = 0;
            if (Number(process.hrtime.bigint() - t0) / 1e6 > PROBE_BUDGET_MS) return "too slow on a near-miss input";
        }
    }
    return undefined;
}

/** Compiles user patterns. Errors name the pattern id only: never the pattern's test text or any scanned value. */
export function compileExtraPatterns(p: ExtraPattern[]): { compiled: CompiledPattern[]; errors: string[] } {
    const compiled: CompiledPattern[] = [];
    const errors: string[] = [];
    const seen = new Set<string>();
    for (const [i, e] of (p ?? []).entries()) {
        const id = typeof e?.id === "string" && e.id.length > 0 ? e.id : `#${i}`;
        if (typeof e?.id !== "string" || !ID_RE.test(e.id)) {
            errors.push(`extra pattern ${id}: id must be kebab-case (a-z, 0-9, -) and match ${EXTRA_PATTERN_ID_PATTERN}`);
            continue;
        }
        if (BUILTIN_IDS.has(id) || seen.has(id)) {
            errors.push(`extra pattern ${id}: id is already used`);
            continue;
        }
        if (typeof e.pattern !== "string" || e.pattern.length === 0) {
            errors.push(`extra pattern ${id}: pattern must be a non-empty string`);
            continue;
        }
        if ([...e.pattern].length > EXTRA_PATTERN_MAX_LENGTH) { // in code points, as the schema counts
            errors.push(`extra pattern ${id}: pattern is longer than ${EXTRA_PATTERN_MAX_LENGTH} characters`);
            continue;
        }
        let re: RegExp;
        try {
            re = new RegExp(e.pattern, "g");
        } catch {
            errors.push(`extra pattern ${id}: not a valid regular expression`);
            continue;
        }
        if (re.test("")) {
            errors.push(`extra pattern ${id}: matches the empty string`);
            continue;
        }
        const risk = backtrackingRisk(e.pattern) ?? slowOnProbes(re, e.pattern);
        if (risk) {
            errors.push(`extra pattern ${id}: rejected, ${risk} (catastrophic backtracking risk)`);
            continue;
        }
        seen.add(id);
        compiled.push({ id, re });
    }
    return { compiled, errors };
}
