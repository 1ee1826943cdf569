import * as assert from "assert";
import {
    formatPath, jsonNestingWithin, read, readBool, SECRET_SIG, SIG_KEY, UNKNOWN_STRING, walkStrings, Wire,
} from "../../../policies/lib/wire";

const secret = (value: Wire): Wire => ({ [SIG_KEY]: SECRET_SIG, value });

function walk(v: Wire, opts = {}) {
    const out: { path: string; value: string; secret: boolean; key?: string; inJson: boolean }[] = [];
    walkStrings(v, (l) => out.push({ path: formatPath(l.path), value: l.value, secret: l.secret, key: l.key, inJson: l.inJson }), opts);
    return out;
}

describe("wire: walkStrings", () => {
    it("visits every known string in document order, with paths, keys, secrecy and JSON documents entered", () => {
        const got = walk({
            a: "x",
            b: secret({ c: ["y", UNKNOWN_STRING, 3, null, { d: "z" }] }),
            e: '{"f": ["g"]}',
        });
        assert.deepStrictEqual(got.map((l) => [l.path, l.value, l.secret, l.key, l.inJson]), [
            ["a", "x", false, "a", false],
            ["b.c[0]", "y", true, "c", false],
            ["b.c[4].d", "z", true, "d", false],
            ["e", '{"f": ["g"]}', false, "e", false],
            ["e{json}.f[0]", "g", false, "f", true],
        ]);
    });

    it("gives each leaf its holder (the container path[depth - 1] indexes, secrets looked through) and its root property", () => {
        const tree: Wire = {
            a: "x",
            b: secret({ c: ["y", { d: secret("z") }] }),
            e: '{"f": ["g", {"h": "i"}]}',
            j: [["k"]],
        };
        /** The value at `path`, read step by step (secrets unwrapped, JSON documents parsed). */
        const at = (path: (string | number)[]): unknown => {
            let cur: unknown = tree;
            for (const seg of path) {
                while (cur && typeof cur === "object" && (cur as Record<string, unknown>)[SIG_KEY] === SECRET_SIG) cur = (cur as { value: unknown }).value;
                cur = seg === "\u0000json" ? JSON.parse(cur as string) : (cur as Record<string | number, unknown>)[seg];
            }
            while (cur && typeof cur === "object" && (cur as Record<string, unknown>)[SIG_KEY] === SECRET_SIG) cur = (cur as { value: unknown }).value;
            return cur;
        };
        let n = 0;
        walkStrings(tree, (l) => {
            n++;
            const path = l.path;
            assert.strictEqual(l.root, path[0], formatPath(path));
            // Parsed documents are new objects: compare their content; everything else is the very object.
            if (path.includes("\u0000json")) assert.deepStrictEqual(l.holder, at(path.slice(0, -1)), formatPath(path));
            else assert.strictEqual(l.holder, at(path.slice(0, -1)), formatPath(path));
        });
        assert.strictEqual(n, 7);
    });

    it("visits wide arrays of plain strings in order with correct paths (the in-place fast path)", () => {
        const items = Array.from({ length: 200 }, (_, i) => `item-${i}`);
        const got = walk({ list: [...items, 7, null] });
        assert.strictEqual(got.length, 200);
        assert.deepStrictEqual(got.map((l) => l.value), items);
        assert.strictEqual(got[137].path, "list[137]");
        // A wide array that also holds a JSON document or an unknown takes the general path, same results.
        const mixed = walk({ list: [...items, '["in-json"]', UNKNOWN_STRING] });
        assert.deepStrictEqual(mixed.map((l) => l.value).slice(0, 200), items);
        assert.deepStrictEqual(mixed.slice(200).map((l) => l.path), ["list[200]", "list[200]{json}[0]"]);
    });

    it("does not enter containers or JSON documents nested beyond maxDepth, and says where it stopped", () => {
        let deep: Wire = "bottom";
        for (let i = 0; i < 10; i++) deep = [deep];
        const cuts: string[] = [];
        assert.deepStrictEqual(walk({ d: deep }, { maxDepth: 5, onTruncated: (p: (string | number)[]) => cuts.push(formatPath(p)) }), []);
        assert.deepStrictEqual(cuts, ["d[0][0][0][0]"]);
        const deepJson = "[".repeat(3000) + "]".repeat(3000);
        const jsonCuts: string[] = [];
        const leaves = walk({ doc: deepJson }, { onTruncated: (p: (string | number)[]) => jsonCuts.push(formatPath(p)) });
        assert.deepStrictEqual(leaves.map((l) => l.path), ["doc"], "scanned as text, not parsed");
        assert.deepStrictEqual(jsonCuts, ["doc"]);
    });

    it("measures JSON nesting without being fooled by brackets inside strings", () => {
        assert.strictEqual(jsonNestingWithin("[[[]]]", 3), true);
        assert.strictEqual(jsonNestingWithin("[[[[]]]]", 3), false);
        assert.strictEqual(jsonNestingWithin('["[[[[\\"[[["]', 1), true);
        // An escaped backslash closes the string: the brackets after it count.
        assert.strictEqual(jsonNestingWithin('["a\\\\", [[["b"]]]]', 3), false);
        assert.strictEqual(jsonNestingWithin('["\\\\\\"[[[", [["b"]]]', 3), true); // the escaped quote's brackets do not count
    });

    it("measures JSON nesting as a character-by-character reading does, on random text of quotes, escapes and brackets", () => {
        // The reference: every character read, an escape skipping the next one.
        const reference = (s: string, limit: number): boolean => {
            let depth = 0;
            let inString = false;
            for (let i = 0; i < s.length; i++) {
                const c = s[i];
                if (inString) {
                    if (c === "\\") i++;
                    else if (c === '"') inString = false;
                } else if (c === '"') inString = true;
                else if (c === "[" || c === "{") {
                    if (++depth > limit) return false;
                } else if (c === "]" || c === "}") depth--;
            }
            return true;
        };
        let seed = 7;
        const rand = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16) % n;
        const alphabet = ['"', "\\", "[", "]", "{", "}", "a", " "];
        let differing = 0;
        let deep = 0;
        for (let t = 0; t < 5000; t++) {
            const s = Array.from({ length: 1 + rand(40) }, () => alphabet[rand(alphabet.length)]).join("");
            for (const limit of [0, 1, 2, 4]) {
                if (jsonNestingWithin(s, limit) !== reference(s, limit)) differing++;
                if (!reference(s, limit)) deep++;
            }
        }
        assert.strictEqual(differing, 0);
        assert.ok(deep > 1000 && deep < 19000, `both answers are exercised (${deep} of 20000 too deep)`);
    });
});

describe("wire: read", () => {
    it("steps through secrets, reports unknowns on the way, and absent paths", () => {
        const props = { a: secret({ b: [1, UNKNOWN_STRING] }), t: "true" };
        assert.deepStrictEqual(read(props, ["a", "b", 0]), { kind: "known", value: 1, secret: true });
        assert.deepStrictEqual(read(props, ["a", "b", 1]), { kind: "unknown", path: ["a", "b", 1] });
        assert.deepStrictEqual(read(props, ["a", "c"]), { kind: "absent" });
        assert.deepStrictEqual(readBool(props, ["t"]), { kind: "known", value: true });
    });
});
