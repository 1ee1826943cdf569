import * as assert from "assert";
import { compileExtraPatterns, FORMAT_DETECTORS, findCredentialFormats } from "../../../policies/detection";
import { loadLabelled } from "./labelled";

const LABELLED = loadLabelled();
const IDS = FORMAT_DETECTORS.map((d) => d.id);
const detectorsIn = (s: string, opts = {}) => [...new Set(findCredentialFormats(s, opts).map((h) => h.detector))];
const rand = (n: number, a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") => {
    let s = "";
    for (let i = 0; i < n; i++) s += a[Math.floor(Math.random() * a.length)];
    // Real keys mix classes; make sure this one does too.
    return a.length > 40 ? "aZ9" + s.slice(3) : s;
};

describe("detection/formats", () => {
    describe("detector metadata", () => {
        it("has unique, stable kebab-case ids with a label and description", () => {
            assert.strictEqual(new Set(IDS).size, IDS.length);
            for (const d of FORMAT_DETECTORS) {
                assert.match(d.id, /^[a-z0-9]+(?:-[a-z0-9]+)*$/);
                assert.ok(d.label.length > 0 && d.description.length > 0, d.id);
            }
        });

        it("covers every detector with at least 3 labelled positives", () => {
            for (const id of IDS) {
                const n = LABELLED.filter((e) => e.positive && e.detector === id).length;
                assert.ok(n >= 3, `${id}: ${n} labelled positives`);
            }
        });

        it("has a labelled set of at least 300 entries, each well-formed", () => {
            assert.ok(LABELLED.length >= 300, `${LABELLED.length} entries`);
            for (const [i, e] of LABELLED.entries()) {
                assert.strictEqual(typeof e.value, "string", `entry ${i}`);
                assert.strictEqual(typeof e.positive, "boolean", `entry ${i}`);
                if (e.positive) assert.ok(IDS.includes(e.detector!), `entry ${i}: unknown detector`);
            }
        });
    });

    describe("labelled set", () => {
        for (const [i, e] of LABELLED.entries()) {
            if (e.positive) {
                it(`#${i} is found by ${e.detector}`, () => {
                    const hits = findCredentialFormats(e.value).filter((h) => h.detector === e.detector);
                    assert.ok(hits.length > 0, `entry ${i} (${e.note}) not found by ${e.detector}`);
                    for (const h of hits) assert.ok(h.start >= 0 && h.end <= e.value.length && h.end > h.start, `entry ${i}: bad span`);
                });
            } else {
                it(`#${i} is not flagged (${e.note.replace(/[^A-Za-z0-9 ,()-]/g, "")})`, () => {
                    assert.deepStrictEqual(detectorsIn(e.value), [], `entry ${i} flagged`);
                });
            }
        }
    });

    describe("the keyword prefilter on long strings (read a 64 KiB chunk at a time)", () => {
        // The prefilter reads strings over 4 KiB through a byte buffer, 64 KiB at a time, starting at offset 1: a
        // keyword (or its anchor pair) cut by a chunk boundary must still enable its row.
        const CHUNK_END = 1 + 64 * 1024;
        // Positives found inside text (not only as a whole string, like a legacy Vault token).
        const positives = LABELLED.filter((e) => e.positive && detectorsIn(`x ${e.value} x`).includes(e.detector!));
        it("finds every labelled positive placed across the first chunk boundary, at every cut within its first 16 characters", () => {
            assert.ok(positives.length >= 100, `${positives.length} positives usable in padding`);
            for (const e of positives) {
                for (let cut = 0; cut <= 16; cut++) {
                    const s = " ".repeat(CHUNK_END - cut) + e.value + " ".repeat(8);
                    assert.ok(detectorsIn(s).includes(e.detector!), `${e.detector} (${e.note}) not found when cut ${cut} characters in`);
                }
            }
        });

        it("gives the same detectors on a long string as on its short parts (non-ASCII characters alias ASCII in the lookup, never in the answer)", () => {
            const pad = "\u0161\u6f22 x".repeat(1500); // 7,500 characters: the long path
            for (const e of positives) {
                assert.deepStrictEqual(detectorsIn(`${pad} ${e.value} ${pad}`).sort(), detectorsIn(`x ${e.value} x`).sort(), e.note);
            }
            // Code units that mask to an anchor pair ("\u016b\u005f" masks like "k_") must not enable a row alone.
            assert.deepStrictEqual(detectorsIn("\u016b_live_".repeat(2000) + " sk_live_x"), []);
        });
    });

    describe("spans", () => {
        it("covers the credential, not its surroundings", () => {
            const key = "AKIA" + rand(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
            const s = `id=${key};`;
            const [h] = findCredentialFormats(s);
            assert.deepStrictEqual([h.detector, h.start, h.end], ["aws-access-key-id", 3, 3 + key.length]);
        });

        it("reports the password in a URL and nothing of the user or host", () => {
            const pw = rand(16);
            const s = `postgres://trainer:${pw}@db.internal/app`;
            const [h] = findCredentialFormats(s);
            assert.strictEqual(s.slice(h.start, h.end), pw);
        });

        it("spans a whole PEM block, BEGIN to END", () => {
            const body = Array.from({ length: 4 }, () => rand(64)).join("\n");
            const pem = `-----BEGIN RSA PRIVATE KEY-----\n${body}\n-----END RSA PRIVATE KEY-----`;
            const [h] = findCredentialFormats(`key: ${pem}\nnext: 1`);
            assert.deepStrictEqual([h.start, h.end], [5, 5 + pem.length]);
        });

        it("sorts hits by start and reports each one once per detector", () => {
            const a = "ghp_" + rand(36);
            const b = "hf_" + rand(34);
            const hits = findCredentialFormats(`${b} and ${a} and ${b}`);
            assert.deepStrictEqual(hits.map((h) => h.detector), ["huggingface-token", "github-token", "huggingface-token"]);
            assert.ok(hits[0].start < hits[1].start && hits[1].start < hits[2].start);
        });
    });

    describe("options", () => {
        it("skips disabled detectors", () => {
            const s = "ghp_" + rand(36);
            assert.deepStrictEqual(detectorsIn(s), ["github-token"]);
            assert.deepStrictEqual(detectorsIn(s, { disabled: new Set(["github-token"]) }), []);
        });

        it("recognises a bare AWS secret key only with a key hint naming it", () => {
            const s = rand(20) + "/" + rand(19, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+");
            assert.deepStrictEqual(detectorsIn(s), []);
            assert.deepStrictEqual(detectorsIn(s, { key: "secretAccessKey" }), ["aws-secret-access-key"]);
            assert.deepStrictEqual(detectorsIn(s, { key: "AWS_SECRET_ACCESS_KEY" }), ["aws-secret-access-key"]);
            assert.deepStrictEqual(detectorsIn(s, { key: "description" }), []);
            // SHA-1 hex is 40 characters too: never an AWS secret, even at the key.
            assert.deepStrictEqual(detectorsIn(rand(40, "0123456789abcdef"), { key: "secretAccessKey" }), []);
        });

        it("recognises a legacy s. Vault token inside text only after a token key", () => {
            const t = "s." + rand(24);
            assert.deepStrictEqual(detectorsIn(`note ${t} here`), []);
            assert.deepStrictEqual(detectorsIn(`VAULT_TOKEN=${t}`), ["vault-token"]);
            assert.deepStrictEqual(detectorsIn(t), ["vault-token"]);
        });

        it("recognises a bare Azure account key at an accountKey key", () => {
            const k = rand(86, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") + "==";
            assert.deepStrictEqual(detectorsIn(k), []);
            assert.deepStrictEqual(detectorsIn(k, { key: "storageAccountKey" }), ["azure-storage-key"]);
        });

        it("applies compiled extra patterns under their own id", () => {
            const { compiled, errors } = compileExtraPatterns([{ id: "acme-key", pattern: "acme_live_[0-9a-f]{24}" }]);
            assert.deepStrictEqual(errors, []);
            const s = "key acme_live_0123456789abcdef01234567 end";
            const hits = findCredentialFormats(s, { extra: compiled });
            assert.deepStrictEqual(hits.map((h) => [h.detector, s.slice(h.start, h.end).length]), [["acme-key", 34]]);
            assert.deepStrictEqual(findCredentialFormats(s, { extra: compiled, disabled: new Set(["acme-key"]) }), []);
        });

        it("returns nothing for empty and non-string input", () => {
            assert.deepStrictEqual(findCredentialFormats(""), []);
            assert.deepStrictEqual(findCredentialFormats(undefined as unknown as string), []);
        });
    });
});
