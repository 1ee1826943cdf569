import * as assert from "assert";
import { redact } from "../../../policies/detection";

// A seeded generator so failures reproduce.
function gen(seed: number) {
    return () => {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        return seed / 0x80000000;
    };
}
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=_-.:@";

describe("detection/redact", () => {
    it("never shows 5 consecutive characters of the input, for lengths 0..200", () => {
        const rnd = gen(42);
        for (let len = 0; len <= 200; len++) {
            for (let trial = 0; trial < 5; trial++) {
                let s = "";
                for (let i = 0; i < len; i++) s += ALPHABET[Math.floor(rnd() * ALPHABET.length)];
                if (trial === 4) s = "a".repeat(len); // a run of one character
                const out = redact(s);
                for (let i = 0; i + 5 <= s.length; i++) {
                    assert.ok(!out.includes(s.slice(i, i + 5)), `length ${len}, trial ${trial}: a 5-character slice at ${i} is shown`);
                }
            }
        }
    });

    it("shows at most a quarter of the value, nothing under 8 characters, 4 at most", () => {
        for (let len = 0; len <= 200; len++) {
            const s = "q".repeat(len);
            const shown = redact(s).indexOf("…");
            assert.ok(shown >= 0, `length ${len}: has an ellipsis`);
            const expect = len < 8 ? 0 : Math.min(4, Math.floor(len / 4));
            assert.strictEqual(shown, expect, `length ${len}`);
            assert.ok(shown <= len / 4, `length ${len}: more than a quarter`);
        }
    });

    it("states the length", () => {
        const s = "sk-proj-" + "Ab3".repeat(14) + "x";
        assert.strictEqual(redact(s), `sk-p… (${s.length} chars)`);
        assert.strictEqual(redact("abcdefghij"), "ab… (10 chars)");
        assert.strictEqual(redact("abc"), "… (3 chars)");
    });

    it("does not cut a surrogate pair", () => {
        const s = "abc\u{1F511}" + "x".repeat(20);
        const out = redact(s);
        assert.ok(!/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(out), "lone high surrogate in output");
    });
});
