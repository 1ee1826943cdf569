import * as assert from "assert";
import * as path from "path";
import { decodeStruct, MAX_DECODE_DEPTH, resourceHead, splitField, WireDecodeError } from "../../../policies/lib/wire-decode";

// The reference: the google-protobuf that @pulumi/policy's requests are decoded with.
const policyDir = path.dirname(require.resolve("@pulumi/policy/package.json"));
const fromPulumi = (m: string) => require(require.resolve(m, { paths: [path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [policyDir] }))] }));
const { Struct } = fromPulumi("google-protobuf/google/protobuf/struct_pb.js");
const analyzerPb = fromPulumi("@pulumi/pulumi/proto/analyzer_pb");

/** What google-protobuf makes of these bytes: the value, or "throws". */
function reference(bytes: Buffer): unknown {
    try {
        return Struct.deserializeBinary(new Uint8Array(bytes)).toJavaScript();
    } catch {
        return "throws";
    }
}

function ours(bytes: Buffer): unknown {
    try {
        return decodeStruct(bytes, 0, bytes.length);
    } catch (e) {
        if (e instanceof WireDecodeError) return "declines";
        throw e;
    }
}

// A protobuf writer for hand-made messages (unsorted and repeated keys, unknown fields, several kinds in one Value).
const varint = (n: number): Buffer => {
    const out: number[] = [];
    do {
        let b = n % 128;
        n = Math.floor(n / 128);
        if (n > 0) b |= 128;
        out.push(b);
    } while (n > 0);
    return Buffer.from(out);
};
const tag = (field: number, wireType: number) => varint(field * 8 + wireType);
const delimited = (field: number, payload: Buffer) => Buffer.concat([tag(field, 2), varint(payload.length), payload]);
const str = (field: number, s: string) => delimited(field, Buffer.from(s, "utf8"));
const dbl = (field: number, x: number) => {
    const b = Buffer.alloc(8);
    b.writeDoubleLE(x);
    return Buffer.concat([tag(field, 1), b]);
};
const V = {
    null: () => Buffer.concat([tag(1, 0), varint(0)]),
    num: (x: number) => dbl(2, x),
    str: (s: string) => str(3, s),
    bool: (b: boolean) => Buffer.concat([tag(4, 0), varint(b ? 1 : 0)]),
    struct: (entries: Buffer[]) => delimited(5, Buffer.concat(entries)),
    list: (values: Buffer[]) => delimited(6, Buffer.concat(values.map((v) => delimited(1, v)))),
};
const entry = (key: string, value: Buffer) => delimited(1, Buffer.concat([str(1, key), delimited(2, value)]));
const unknownFields = Buffer.concat([tag(15, 0), varint(300), tag(14, 1), Buffer.alloc(8), tag(13, 5), Buffer.alloc(4), str(12, "ignored")]);

/** A deterministic generator (xorshift), so a failure reproduces. */
function rng(seed: number) {
    let s = seed >>> 0 || 1;
    const next = () => {
        s ^= s << 13;
        s >>>= 0;
        s ^= s >>> 17;
        s ^= s << 5;
        s >>>= 0;
        return s / 0x100000000;
    };
    return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)] };
}

const KEYS = ["a", "b", "B", "10", "2", "password", "é", "日本", "😀", "", "value", "4dabf18193072939515e22adb298388d", "constructor", "toString"];
const STRINGS = ["", "x", "sk-" + "ab12".repeat(12), "é日本😀", "a".repeat(200), "line\nbreak", "\u0000", "1b47061264138c4ac30d75fd1eb44270"];
const NUMBERS = [0, -0, 1, -1.5, 1e300, -1e-300, Number.MAX_SAFE_INTEGER, Infinity, -Infinity, NaN];

/** A random Value's bytes, as the engine or a hostile writer might send them. */
function randomValue(r: ReturnType<typeof rng>, depth: number): Buffer {
    const k = r.int(depth > 4 ? 4 : 7);
    if (k === 0) return V.null();
    if (k === 1) return V.num(r.pick(NUMBERS));
    if (k === 2) return V.str(r.pick(STRINGS));
    if (k === 3) return V.bool(r.next() < 0.5);
    if (k === 4) return V.struct(randomEntries(r, depth + 1));
    if (k === 5) return V.list(Array.from({ length: r.int(4) }, () => randomValue(r, depth + 1)));
    // Several kinds in one Value (the last wins), with an unknown field among them.
    return Buffer.concat([V.str(r.pick(STRINGS)), unknownFields, randomValue(r, depth + 1)]);
}

function randomEntries(r: ReturnType<typeof rng>, depth: number): Buffer[] {
    // Keys in any order, repeated ones included (the last wins), sometimes an unknown field between entries.
    return Array.from({ length: r.int(5) }, () => (r.next() < 0.1 ? unknownFields : entry(r.pick(KEYS), randomValue(r, depth))));
}

describe("wire-decode: Analyzer request bytes without google-protobuf", () => {
    it("decodes a Struct exactly as google-protobuf's toJavaScript(), key order included, on random messages", () => {
        const r = rng(20261202);
        let compared = 0;
        for (let i = 0; i < 3000; i++) {
            const bytes = Buffer.concat(randomEntries(r, 0));
            const want = reference(bytes);
            if (want === "throws") continue;
            const got = ours(bytes);
            assert.deepStrictEqual(got, want, `message ${i}`);
            assert.deepStrictEqual(JSON.stringify(got), JSON.stringify(want), `message ${i}: key order`);
            compared++;
        }
        assert.ok(compared > 2500, `most random messages are valid (${compared})`);
    });

    it("decodes what google-protobuf itself encodes from plain values", () => {
        const value = { z: 1, a: [true, null, "s", { nested: { deeper: [1, 2, 3] } }], "10": "ten", "2": "two", empty: {}, list: [] };
        const bytes = Buffer.from(Struct.fromJavaScript(value).serializeBinary());
        assert.deepStrictEqual(ours(bytes), value);
        assert.deepStrictEqual(Object.keys(ours(bytes) as object), Object.keys(reference(bytes) as object));
    });

    it("declines, never misreads, a message cut short or corrupted anywhere", () => {
        const r = rng(7);
        let declined = 0;
        for (let i = 0; i < 120; i++) {
            const whole = Buffer.concat(randomEntries(r, 0));
            for (let cut = 0; cut < whole.length; cut++) {
                // Cut there, or that byte changed (0x80 turns a one-byte tag or length into a longer varint).
                const variants = [whole.subarray(0, cut), Buffer.from(whole), Buffer.from(whole)];
                variants[1][cut] ^= 0x5a;
                variants[2][cut] ^= 0x80;
                for (const bytes of variants) {
                    const got = ours(bytes);
                    if (got === "declines") {
                        declined++;
                        continue;
                    }
                    assert.deepStrictEqual(got, reference(bytes), `message ${i} cut or changed at ${cut}`);
                }
            }
        }
        assert.ok(declined > 1000, `malformed bytes are declined (${declined})`);
    });

    it("declines a Value without a kind, a wire type a field cannot have, and nesting past MAX_DECODE_DEPTH", () => {
        assert.strictEqual(ours(entry("k", Buffer.alloc(0))), "declines");
        assert.strictEqual(ours(entry("k", Buffer.concat([tag(3, 0), varint(1)]))), "declines");
        assert.strictEqual(ours(Buffer.concat([tag(1, 0), varint(1)])), "declines");
        let deep = V.null();
        for (let i = 0; i <= MAX_DECODE_DEPTH; i++) deep = V.list([deep]);
        assert.strictEqual(ours(entry("k", deep)), "declines");
        let ok = V.null();
        for (let i = 0; i < 100; i++) ok = V.list([ok]);
        assert.deepStrictEqual(ours(entry("k", ok)), reference(entry("k", ok)));
    });

    it("keeps a key named __proto__ as data, where google-protobuf would set the object's prototype", () => {
        const got = ours(entry("__proto__", V.struct([entry("polluted", V.str("yes"))]))) as Record<string, unknown>;
        assert.deepStrictEqual(Object.keys(got), ["__proto__"]);
        assert.strictEqual(Object.getPrototypeOf(got), Object.prototype);
        assert.deepStrictEqual(Object.getOwnPropertyDescriptor(got, "__proto__")?.value, { polluted: "yes" });
    });

    it("finds the resources of an AnalyzeStack request and reads each one's head as google-protobuf does", () => {
        const resource = (i: number) => {
            const res = new analyzerPb.AnalyzerResource();
            res.setType(`aws:s3/bucket:Bucket${i}`);
            res.setUrn(`urn:pulumi:dev::p::aws:s3/bucket:Bucket::b${i}`);
            res.setName(`b${i}é`);
            res.setParent(i % 2 ? "urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev" : "");
            res.setDependenciesList(Array.from({ length: i % 3 }, (_, j) => `urn:dep${j}`));
            res.setProperties(Struct.fromJavaScript({ bucket: `b${i}`, tags: { i: String(i) } }));
            return res;
        };
        const req = new analyzerPb.AnalyzeStackRequest();
        req.setResourcesList([resource(0), resource(1), resource(2)]);
        const bytes = Buffer.from(req.serializeBinary());
        const { spans, rest } = splitField(bytes, 1);
        assert.strictEqual(spans.length, 3);
        spans.forEach((s, i) => {
            const head = resourceHead(bytes, s.start, s.end);
            const want = resource(i);
            assert.deepStrictEqual([head.type, head.urn, head.name, head.parent, head.dependencies], [want.getType(), want.getUrn(), want.getName(), want.getParent(), want.getDependenciesList()]);
            assert.deepStrictEqual(decodeStruct(bytes, head.properties!.start, head.properties!.end), want.getProperties().toJavaScript());
        });
        assert.strictEqual(analyzerPb.AnalyzeStackRequest.deserializeBinary(new Uint8Array(rest)).getResourcesList().length, 0);
    });

    it("removes one field of a message and leaves every other field as it was", () => {
        const req = new analyzerPb.AnalyzeRequest();
        req.setType("aws:s3/bucket:Bucket");
        req.setUrn("urn:pulumi:dev::p::aws:s3/bucket:Bucket::b");
        req.setName("b");
        req.setProperties(Struct.fromJavaScript({ secret: "x" }));
        const provider = new analyzerPb.AnalyzerProviderResource();
        provider.setType("pulumi:providers:aws");
        provider.setProperties(Struct.fromJavaScript({ region: "eu-west-1" }));
        req.setProvider(provider);
        const bytes = Buffer.concat([Buffer.from(req.serializeBinary()), unknownFields]);
        const { spans: [props], rest } = splitField(bytes, 2);
        const without = analyzerPb.AnalyzeRequest.deserializeBinary(new Uint8Array(rest));
        assert.strictEqual(without.getProperties(), undefined);
        assert.deepStrictEqual([without.getType(), without.getUrn(), without.getName()], [req.getType(), req.getUrn(), req.getName()]);
        assert.deepStrictEqual(without.getProvider().getProperties().toJavaScript(), { region: "eu-west-1" });
        assert.deepStrictEqual(decodeStruct(bytes, props.start, props.end), { secret: "x" });
    });
});
