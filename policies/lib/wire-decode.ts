// Reads the Analyzer requests' bytes directly, without google-protobuf: the properties of a resource (a
// google.protobuf.Struct) straight into the plain JavaScript value that Struct.toJavaScript() would give, and the
// few fields of an AnalyzeStack resource that every stack rule reads. Decoding 10,000 resources' outputs into
// protobuf objects is most of an AnalyzeStack's time; this pack needs them as plain values, and only some of them.
//
// The result is the one google-protobuf 3.x gives (test/policies/lib/wire-decode.test.ts compares the two on random
// messages, cut and corrupted ones too): object keys in sorted order (its Map sorts them), the last of repeated
// singular fields, unknown fields skipped. Anything else (a wire type a field cannot have, a Value without a kind,
// an unknown field inside a map entry, a string that is not plain UTF-8, a truncated message, nesting deeper than
// MAX_DECODE_DEPTH) throws WireDecodeError, and the caller falls back to google-protobuf. Pure.
import { Wire, WireObject } from "./wire";

export class WireDecodeError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "WireDecodeError";
    }
}

/**
 * buf[start, end) as UTF-8. Bytes that are not valid UTF-8 come out with U+FFFD, where google-protobuf's own decoder
 * may differ: such a string (and any holding a real U+FFFD, rare enough) is declined.
 */
function utf8(buf: Buffer, start: number, end: number): string {
    const s = buf.toString("utf8", start, end);
    if (s.indexOf("\ufffd") !== -1) throw new WireDecodeError("a string that is not plainly UTF-8");
    return s;
}

/** Structs and lists nested deeper than this are left to google-protobuf (which the caller falls back to). */
export const MAX_DECODE_DEPTH = 512;

const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;

/** Field numbers run from 1 to 2^29 - 1, so a tag is a 32-bit varint: google-protobuf reads it as one. */
function checkTag(tag: number): number {
    if (tag < 8 || tag > 0xffffffff) throw new WireDecodeError(`tag ${tag}`);
    return tag;
}

function expect(wireType: number, wanted: number): void {
    if (wireType !== wanted) throw new WireDecodeError(`wire type ${wireType} where ${wanted} belongs`);
}

/** Sorts as google-protobuf's Map does (`keys.sort()`: UTF-16 code units). */
function byCodeUnits(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

// Every reader here goes through one module-level cursor, B[P], with the end of the message being read passed
// along: no reader object per message or value. The readers are synchronous; withCursor saves and restores the
// cursor around each public call.
let B: Buffer = Buffer.alloc(0);
let P = 0;

function withCursor<T>(buf: Buffer, start: number, read: () => T): T {
    const savedB = B;
    const savedP = P;
    B = buf;
    P = start;
    try {
        return read();
    } finally {
        B = savedB;
        P = savedP;
    }
}

/** A length-delimited string field's payload, as UTF-8. */
function stringTo(end: number): string {
    const s = delimitedTo(end);
    return utf8(B, s, P);
}

function varintTo(end: number): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
        if (P >= end) throw new WireDecodeError("truncated varint");
        const b = B[P++];
        result += (b & 0x7f) * scale;
        if (b < 0x80) return result;
        scale *= 128;
    }
    throw new WireDecodeError("varint longer than 10 bytes");
}

/** Moves past a length-delimited payload; returns its start (its end is P). */
function delimitedTo(end: number): number {
    const len = varintTo(end);
    const start = P;
    if (len > end - start) throw new WireDecodeError("length past the end of the message");
    P = start + len;
    return start;
}

function skipTo(wireType: number, end: number): void {
    if (wireType === VARINT) varintTo(end);
    else if (wireType === LENGTH_DELIMITED) delimitedTo(end);
    else {
        const n = wireType === FIXED64 ? 8 : wireType === FIXED32 ? 4 : -1;
        if (n < 0) throw new WireDecodeError(`wire type ${wireType}`);
        if (end - P < n) throw new WireDecodeError("truncated fixed-width field");
        P += n;
    }
}

/**
 * Moves to the next payload of field 1 (length-delimited) before `end`, skipping other fields, and returns its start
 * (its end is P); -1 when none is left. A Struct's entries and a ListValue's values are both field 1.
 */
function nextItemTo(end: number): number {
    while (P < end) {
        const tag = checkTag(varintTo(end));
        if (tag >>> 3 === 1) {
            expect(tag & 7, LENGTH_DELIMITED);
            return delimitedTo(end);
        }
        skipTo(tag & 7, end);
    }
    return -1;
}

/** google.protobuf.Struct in buf[start, end) as the plain object Struct.toJavaScript() gives. */
export function decodeStruct(buf: Buffer, start: number, end: number): WireObject {
    return withCursor(buf, start, () => structTo(end, 0));
}

/** Struct: `fields` is map<string, Value> (field 1); each entry is {key = 1, value = 2}. */
function structTo(end: number, depth: number): WireObject {
    if (depth > MAX_DECODE_DEPTH) throw new WireDecodeError("nested too deep");
    const keys: string[] = [];
    const values: Wire[] = [];
    // Keys usually come sorted and distinct; otherwise they are sorted here, the last of equal keys winning.
    let ordered = true;
    for (let entryStart = nextItemTo(end); entryStart !== -1; entryStart = nextItemTo(end)) {
        const entryEnd = P;
        P = entryStart;
        let key = "";
        let value: Wire | undefined;
        let valueFound = false;
        while (P < entryEnd) {
            const t = checkTag(varintTo(entryEnd));
            const field = t >>> 3;
            if (field === 1) {
                expect(t & 7, LENGTH_DELIMITED);
                key = stringTo(entryEnd);
            } else if (field === 2) {
                expect(t & 7, LENGTH_DELIMITED);
                const s = delimitedTo(entryEnd);
                const after = P;
                P = s;
                value = valueTo(after, depth + 1);
                P = after;
                valueFound = true;
            } else {
                // google-protobuf's map reader does not skip such a field: it reads its payload as further fields.
                throw new WireDecodeError("an unknown field in a Struct entry");
            }
        }
        if (!valueFound) throw new WireDecodeError("a Struct field without a value");
        if (ordered && keys.length > 0 && !(keys[keys.length - 1] < key)) ordered = false;
        keys.push(key);
        values.push(value as Wire);
    }
    const out: WireObject = {};
    if (ordered) {
        for (let i = 0; i < keys.length; i++) put(out, keys[i], values[i]);
        return out;
    }
    const last = new Map<string, Wire>();
    for (let i = 0; i < keys.length; i++) last.set(keys[i], values[i]);
    for (const k of [...last.keys()].sort(byCodeUnits)) put(out, k, last.get(k)!);
    return out;
}

function put(o: WireObject, k: string, v: Wire): void {
    // Defined, not assigned: a key named "__proto__" is data, not the object's prototype.
    if (k === "__proto__") Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
    else o[k] = v;
}

/** Value: oneof null_value = 1, number_value = 2, string_value = 3, bool_value = 4, struct_value = 5, list_value = 6. */
function valueTo(end: number, depth: number): Wire {
    // The oneof's last field wins, as in google-protobuf. Nested messages are decoded as they come (an earlier one
    // too), so bytes that google-protobuf rejects are declined here as well.
    let kind = 0;
    let scalar: Wire = null;
    while (P < end) {
        const tag = checkTag(varintTo(end));
        const field = tag >>> 3;
        const wt = tag & 7;
        switch (field) {
            case 1:
                expect(wt, VARINT);
                varintTo(end);
                kind = 1;
                scalar = null;
                break;
            case 2:
                expect(wt, FIXED64);
                if (end - P < 8) throw new WireDecodeError("truncated double");
                scalar = B.readDoubleLE(P);
                P += 8;
                kind = 2;
                break;
            case 3:
                expect(wt, LENGTH_DELIMITED);
                scalar = stringTo(end);
                kind = 3;
                break;
            case 4:
                expect(wt, VARINT);
                scalar = varintTo(end) !== 0;
                kind = 4;
                break;
            case 5:
            case 6: {
                expect(wt, LENGTH_DELIMITED);
                const at = delimitedTo(end);
                const to = P;
                P = at;
                scalar = field === 5 ? structTo(to, depth) : listTo(to, depth);
                P = to;
                kind = field;
                break;
            }
            default:
                skipTo(wt, end);
        }
    }
    if (kind === 0) throw new WireDecodeError("a Value without a kind");
    return scalar;
}

/** ListValue: repeated Value values = 1. */
function listTo(end: number, depth: number): Wire[] {
    if (depth > MAX_DECODE_DEPTH) throw new WireDecodeError("nested too deep");
    const out: Wire[] = [];
    for (let s = nextItemTo(end); s !== -1; s = nextItemTo(end)) {
        const after = P;
        P = s;
        out.push(valueTo(after, depth + 1));
        P = after;
    }
    return out;
}

/** A byte range of the request. */
export interface Span {
    start: number;
    end: number;
}

/**
 * The length-delimited occurrences of top-level field `field` in the message `buf`, in order, and a copy of the
 * message without them, in one pass. The copy decodes, in google-protobuf, to the same message with that field
 * unset. Every other field is checked for well-formedness and skipped.
 */
export function splitField(buf: Buffer, field: number): { spans: Span[]; rest: Buffer } {
    return withCursor(buf, 0, () => {
        const end = buf.length;
        const spans: Span[] = [];
        const keep: Buffer[] = [];
        let from = 0;
        while (P < end) {
            const at = P;
            const tag = checkTag(varintTo(end));
            if (tag >>> 3 !== field) {
                skipTo(tag & 7, end);
                continue;
            }
            expect(tag & 7, LENGTH_DELIMITED);
            const s = delimitedTo(end);
            spans.push({ start: s, end: P });
            if (at > from) keep.push(buf.subarray(from, at));
            from = P;
        }
        if (from < end) keep.push(buf.subarray(from, end));
        return { spans, rest: Buffer.concat(keep) };
    });
}

/**
 * The fields of a pulumirpc.AnalyzerResource (AnalyzeStack) that every stack rule reads, decoded now: type = 1,
 * urn = 3, name = 4, parent = 7, dependencies = 8 (repeated). The rest (properties = 2, provider = 6,
 * propertyDependencies = 9) is decoded when a rule asks, from the resource's own bytes.
 */
export interface ResourceHead {
    type: string;
    urn: string;
    name: string;
    parent: string;
    dependencies: string[];
    /** The last properties field (a Struct), if any. */
    properties: Span | undefined;
}

export function resourceHead(buf: Buffer, start: number, end: number): ResourceHead {
    return withCursor(buf, start, () => {
        const head: ResourceHead = { type: "", urn: "", name: "", parent: "", dependencies: [], properties: undefined };
        while (P < end) {
            const tag = checkTag(varintTo(end));
            const field = tag >>> 3;
            const wt = tag & 7;
            if (field === 1 || field === 2 || field === 3 || field === 4 || field === 7 || field === 8) expect(wt, LENGTH_DELIMITED);
            switch (field) {
                case 1:
                    head.type = stringTo(end);
                    break;
                case 2: {
                    const s = delimitedTo(end);
                    head.properties = { start: s, end: P };
                    break;
                }
                case 3:
                    head.urn = stringTo(end);
                    break;
                case 4:
                    head.name = stringTo(end);
                    break;
                case 7:
                    head.parent = stringTo(end);
                    break;
                case 8:
                    head.dependencies.push(stringTo(end));
                    break;
                default:
                    skipTo(wt, end);
            }
        }
        return head;
    });
}
