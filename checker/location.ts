// Where in the program a finding is. The pack never sees source positions (the engine does not pass them to
// policies); the checker does: the Node SDK sends each resource's call site and stack trace in
// RegisterResourceRequest, and state exports keep `sourcePosition` (`project:///path#line,col`).
//
// For findings that name a property (`<type> '<name>' property <path> ...`), the TypeScript compiler API follows
// the property path from the `new X(...)` call into its object literal argument, down to the line of the literal.
import * as fs from "fs";
import * as path from "path";
import { fileURLToPath } from "url";

/** A place in the program: `file` relative to the program directory, `/`-separated; line and column 1-based. */
export interface SourceLocation {
    file: string;
    line: number;
    column: number;
}

/** A position as the SDK sends it: a `file://` URI (Node SDK) or `project:///path` (state exports). */
export interface WirePosition {
    uri: string;
    line: number;
    column: number;
}

// ---- Property paths: the inverse of the pack's formatPath (policies/lib/wire.ts) ----
//
// formatPath writes `a.b[0]["weird key"]{json}.c`: identifier-like keys after a dot (the first without), array
// indexes in brackets, other keys as JSON strings in brackets, a step into a JSON document held in a string as
// `{json}`, and `(root)` for the empty path. test/checker/location.test.ts checks parsePath(formatPath(p)) == p.

/** The path segment formatPath writes as `{json}` (policies/lib/wire.ts JSON_MARK; the test checks they agree). */
export const JSON_SEGMENT = "\u0000json";

export type PathSegment = string | number;

/**
 * Parses a path formatPath wrote at the start of `s`. Returns the segments and where the path ends, or undefined
 * when `s` does not start with a path. Keys formatPath shortened (`"...`) come back shortened.
 */
export function parsePathPrefix(s: string): { path: PathSegment[]; end: number } | undefined {
    if (s.startsWith("(root)")) return { path: [], end: "(root)".length };
    const out: PathSegment[] = [];
    let i = 0;
    const ident = /^[A-Za-z_$][\w$-]*/;
    for (;;) {
        const rest = s.slice(i);
        if (out.length === 0 || rest.startsWith(".")) {
            const skip = out.length === 0 ? 0 : 1;
            const m = ident.exec(rest.slice(skip));
            if (m) {
                out.push(m[0]);
                i += skip + m[0].length;
                continue;
            }
            if (out.length > 0) break;
        }
        if (rest.startsWith("{json}")) {
            out.push(JSON_SEGMENT);
            i += "{json}".length;
            continue;
        }
        const idx = /^\[(\d+)\]/.exec(rest);
        if (idx) {
            out.push(Number(idx[1]));
            i += idx[0].length;
            continue;
        }
        if (rest.startsWith('["')) {
            const str = jsonStringPrefix(rest.slice(1));
            if (str && rest[1 + str.length] === "]") {
                out.push(JSON.parse(str));
                i += str.length + 2;
                continue;
            }
        }
        break;
    }
    return out.length > 0 ? { path: out, end: i } : undefined;
}

/** The JSON string literal at the start of `s` (quotes included), or undefined. */
function jsonStringPrefix(s: string): string | undefined {
    if (s[0] !== '"') return undefined;
    for (let i = 1; i < s.length; i++) {
        if (s[i] === "\\") i++;
        else if (s[i] === '"') return s.slice(0, i + 1);
    }
    return undefined;
}

/** A whole string that is a formatted path. */
export function parsePath(s: string): PathSegment[] | undefined {
    const p = parsePathPrefix(s);
    return p && p.end === s.length ? p.path : undefined;
}

/**
 * The property a finding names: a message line of the form `<type> '<name>' property <path> ...` (the analyzer
 * puts the policy's description on the line before).
 */
export function propertyPathOf(message: string, type: string, name: string): PathSegment[] | undefined {
    const prefix = `${type} '${name}' property `;
    for (const line of message.split("\n")) {
        if (!line.startsWith(prefix)) continue;
        const p = parsePathPrefix(line.slice(prefix.length));
        if (!p) continue;
        const next = line[prefix.length + p.end];
        if (next === undefined || next === " ") return p.path;
    }
    return undefined;
}

/** The export a stack-wide finding names: a message line starting `stack export '<name>'`. */
export function exportNameOf(message: string): string | undefined {
    const m = /^stack export '([^'\n]*)'/m.exec(message);
    return m ? m[1] : undefined;
}

// ---- Call sites ----

/** Absolute path of a position's file; `project:///x` is relative to `projectDir`. Undefined for other URIs. */
export function positionFile(uri: string, projectDir: string): string | undefined {
    try {
        if (uri.startsWith("file:")) return fileURLToPath(uri);
        if (uri.startsWith("project:///")) return path.join(projectDir, decodeURIComponent(uri.slice("project:///".length)));
    } catch {
        /* not a usable URI */
    }
    return undefined;
}

function relativeInside(file: string, dir: string): string | undefined {
    const rel = path.relative(path.resolve(dir), path.resolve(file));
    if (rel === "" || rel.startsWith("..") || path.isAbsolute(rel)) return undefined;
    const parts = rel.split(path.sep);
    if (parts.includes("node_modules")) return undefined;
    return parts.join("/");
}

/**
 * The first frame inside the program (not inside node_modules) among the call site and the stack trace; the call
 * site itself is usually inside the SDK's resource class. Undefined when no frame is in the program.
 */
export function programLocation(
    frames: ReadonlyArray<WirePosition | undefined>,
    programDir: string,
): SourceLocation | undefined {
    for (const f of frames) {
        if (!f || !f.uri || !(f.line > 0)) continue;
        const abs = positionFile(f.uri, programDir);
        const rel = abs !== undefined ? relativeInside(abs, programDir) : undefined;
        if (rel !== undefined) return { file: rel, line: f.line, column: f.column > 0 ? f.column : 1 };
    }
    return undefined;
}

/** `project:///index.ts#12,5` (a state export's sourcePosition) -> `{file: "index.ts", line: 12, column: 5}`. */
export function parseStatePosition(s: unknown): SourceLocation | undefined {
    if (typeof s !== "string") return undefined;
    const m = /^project:\/\/\/([^#]+)#(\d+)(?:,(\d+))?$/.exec(s);
    if (!m) return undefined;
    let file: string;
    try {
        file = decodeURIComponent(m[1]);
    } catch {
        return undefined;
    }
    const line = Number(m[2]);
    if (!(line > 0)) return undefined;
    return { file, line, column: m[3] !== undefined && Number(m[3]) > 0 ? Number(m[3]) : 1 };
}

// ---- The literal's own line, through the TypeScript compiler API ----

/** The TypeScript module, or undefined: the walk is a refinement and falls back to the call site without it. */
export type TypeScriptApi = any;

interface Walk {
    ts: TypeScriptApi;
    sf: any;
    /** Declarations already followed (no cycles through `const a = b; const b = a`). */
    followed: Set<any>;
}

function unwrap(w: Walk, n: any): any {
    const ts = w.ts;
    for (;;) {
        if (!n) return n;
        if (ts.isParenthesizedExpression(n) || ts.isAsExpression(n) || ts.isNonNullExpression(n) ||
            (ts.isSatisfiesExpression && ts.isSatisfiesExpression(n)) || (ts.isTypeAssertionExpression && ts.isTypeAssertionExpression(n))) {
            n = n.expression;
            continue;
        }
        if (ts.isIdentifier(n)) {
            const decl = constDeclaration(w, n.text);
            if (decl && !w.followed.has(decl)) {
                w.followed.add(decl);
                n = decl.initializer;
                continue;
            }
        }
        return n;
    }
}

/** The initializer of the only top-level-or-nested `const <name> = ...` in the file (ambiguous names are not followed). */
function constDeclaration(w: Walk, name: string): any {
    const ts = w.ts;
    const found: any[] = [];
    const visit = (n: any) => {
        if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name && n.initializer &&
            (ts.getCombinedNodeFlags(n) & ts.NodeFlags.Const) !== 0) {
            found.push(n);
        }
        ts.forEachChild(n, visit);
    };
    visit(w.sf);
    return found.length === 1 ? found[0] : undefined;
}

function propertyName(w: Walk, name: any): string | undefined {
    const ts = w.ts;
    if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)) return name.text;
    if (ts.isComputedPropertyName(name)) {
        const e = unwrap(w, name.expression);
        if (e && (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) || ts.isNumericLiteral(e))) return e.text;
    }
    return undefined;
}

/** One step down the path from `node`; undefined when the source does not show where the step leads. */
function step(w: Walk, node: any, seg: PathSegment): any {
    const ts = w.ts;
    const n = unwrap(w, node);
    if (!n) return undefined;
    if (typeof seg === "number") {
        return ts.isArrayLiteralExpression(n) && seg < n.elements.length && !n.elements.slice(0, seg + 1).some((e: any) => ts.isSpreadElement(e))
            ? n.elements[seg]
            : undefined;
    }
    if (seg === JSON_SEGMENT) {
        // JSON.stringify({...}) in the source: continue into the object.
        if (ts.isCallExpression(n) && n.arguments.length >= 1 && n.expression.getText(w.sf) === "JSON.stringify") return n.arguments[0];
        return undefined;
    }
    if (!ts.isObjectLiteralExpression(n)) return undefined;
    // The last assignment wins in JavaScript.
    for (let i = n.properties.length - 1; i >= 0; i--) {
        const p = n.properties[i];
        if ((ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p) || ts.isMethodDeclaration(p)) && propertyName(w, p.name) === seg) {
            return p;
        }
        if (ts.isSpreadAssignment(p)) return undefined;
    }
    return undefined;
}

function locationOf(w: Walk, node: any, file: string, offset?: number): SourceLocation {
    const pos = offset ?? node.getStart(w.sf);
    const lc = w.sf.getLineAndCharacterOfPosition(pos);
    return { file, line: lc.line + 1, column: lc.character + 1 };
}

/** The `new X(...)` expression that starts at (or, failing that, contains) the given 1-based line and column. */
function findNewExpression(w: Walk, line: number, column: number): any {
    const ts = w.ts;
    let pos: number;
    try {
        pos = w.sf.getPositionOfLineAndCharacter(line - 1, Math.max(0, column - 1));
    } catch {
        return undefined;
    }
    let starting: any;
    let containing: any;
    const visit = (n: any) => {
        if (pos < n.getFullStart() || pos > n.getEnd()) return;
        if (ts.isNewExpression(n)) {
            if (n.getStart(w.sf) === pos) starting ??= n;
            else if (n.getStart(w.sf) <= pos && pos < n.getEnd()) containing = n; // innermost wins
        }
        ts.forEachChild(n, visit);
    };
    visit(w.sf);
    return starting ?? containing;
}

const sourceCache = new Map<string, any>();

/**
 * The line of the value at `propertyPath` in the resource arguments of the `new X(name, args)` call at `site`.
 * Falls back to the deepest point of the path the source shows, and to `site` itself when typescript is missing
 * or the file cannot be read or parsed.
 */
export function literalLocation(
    ts: TypeScriptApi | undefined,
    programDir: string,
    site: SourceLocation,
    propertyPath: readonly PathSegment[],
): SourceLocation {
    if (!ts) return site;
    try {
        const abs = path.join(programDir, ...site.file.split("/"));
        let sf = sourceCache.get(abs);
        if (!sf) {
            const text = fs.readFileSync(abs, "utf8");
            sf = ts.createSourceFile(abs, text, ts.ScriptTarget.Latest, true, /\.[cm]?tsx$|\.jsx$/.test(abs) ? ts.ScriptKind.TSX : undefined);
            sourceCache.set(abs, sf);
        }
        const w: Walk = { ts, sf, followed: new Set() };
        const call = findNewExpression(w, site.line, site.column);
        if (!call || !call.arguments || call.arguments.length < 2) return site;
        let node: any = call.arguments[1];
        let best: SourceLocation | undefined;
        for (let i = 0; i < propertyPath.length; i++) {
            const seg = propertyPath[i];
            const next = step(w, node, seg);
            if (next === undefined) {
                // A JSON document written as a string: find the key's own line inside the literal.
                const lit = unwrap(w, node);
                if (seg === JSON_SEGMENT && lit && (ts.isStringLiteral(lit) || ts.isNoSubstitutionTemplateLiteral(lit) || ts.isTemplateExpression(lit))) {
                    const key = [...propertyPath.slice(i + 1)].reverse().find((s) => typeof s === "string" && s !== JSON_SEGMENT) as string | undefined;
                    const text = lit.getText(sf);
                    const at = key !== undefined ? text.indexOf(JSON.stringify(key)) : -1;
                    return locationOf(w, lit, site.file, at >= 0 ? lit.getStart(sf) + at : undefined);
                }
                break;
            }
            node = next;
            // A property: its value's own line when the value is a literal written there.
            const value = ts.isPropertyAssignment(node) ? node.initializer : node;
            best = locationOf(w, value, site.file);
            if (ts.isPropertyAssignment(node)) node = node.initializer;
            else if (ts.isShorthandPropertyAssignment(node)) node = node.name;
        }
        if (best === undefined) return site;
        // A value held in a `const` elsewhere in the file: the literal's line is the constant's.
        const target = unwrap(w, node);
        if (target && target !== node && (ts.isStringLiteral(target) || ts.isNoSubstitutionTemplateLiteral(target) || ts.isTemplateExpression(target))) {
            return locationOf(w, target, site.file);
        }
        return best;
    } catch {
        return site;
    }
}

/** Where the entry file exports `name` (`export const name = ...`, `export { x as name }`, `exports.name = ...`). */
export function exportLocation(ts: TypeScriptApi | undefined, programDir: string, entryFile: string, name: string): SourceLocation | undefined {
    if (!ts) return undefined;
    try {
        const abs = path.join(programDir, ...entryFile.split("/"));
        let sf = sourceCache.get(abs);
        if (!sf) {
            sf = ts.createSourceFile(abs, fs.readFileSync(abs, "utf8"), ts.ScriptTarget.Latest, true);
            sourceCache.set(abs, sf);
        }
        const w: Walk = { ts, sf, followed: new Set() };
        let found: any;
        const visit = (n: any) => {
            if (found) return;
            if (ts.isVariableStatement(n) && n.modifiers?.some((m: any) => m.kind === ts.SyntaxKind.ExportKeyword)) {
                for (const d of n.declarationList.declarations) if (ts.isIdentifier(d.name) && d.name.text === name) found = d;
            } else if (ts.isExportSpecifier(n) && n.name.text === name) {
                found = n;
            } else if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
                ts.isPropertyAccessExpression(n.left) && n.left.name.text === name && /^(module\.)?exports$/.test(n.left.expression.getText(sf))) {
                found = n;
            }
            if (!found) ts.forEachChild(n, visit);
        };
        visit(sf);
        return found ? locationOf(w, found, entryFile) : undefined;
    } catch {
        return undefined;
    }
}

/** What locating needs to know of a resource. */
export interface LocatedResource {
    type: string;
    name: string;
    location?: SourceLocation;
}

/**
 * Sets `location` on each diagnostic: its resource's call site in the program, refined to the literal's own line
 * when the message names a property; for a stack export, the export in the entry file.
 */
export function locateDiagnostics(
    diagnostics: Array<{ urn?: string; message: string; location?: SourceLocation }>,
    resources: ReadonlyMap<string, LocatedResource>,
    opts: { programDir?: string; entryFile?: string; ts?: TypeScriptApi },
): void {
    for (const d of diagnostics) {
        const r = d.urn ? resources.get(d.urn) : undefined;
        if (r?.location) {
            const p = opts.programDir !== undefined ? propertyPathOf(d.message, r.type, r.name) : undefined;
            d.location = p && p.length > 0 ? literalLocation(opts.ts, opts.programDir!, r.location, p) : r.location;
            continue;
        }
        const exported = exportNameOf(d.message);
        if (exported !== undefined && opts.programDir !== undefined && opts.entryFile !== undefined) {
            const at = exportLocation(opts.ts, opts.programDir, opts.entryFile, exported);
            if (at) d.location = at;
        }
    }
}
