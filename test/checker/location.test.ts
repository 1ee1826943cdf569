import * as assert from "assert";
import * as fc from "fast-check";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { pathToFileURL } from "url";
import {
    exportLocation, exportNameOf, JSON_SEGMENT, literalLocation, locateDiagnostics, parsePath, parseStatePosition,
    PathSegment, programLocation, propertyPathOf, SourceLocation,
} from "../../checker/location";
import { formatPath, JSON_MARK } from "../../policies/lib/wire";
const ts = require("typescript");

/** 1-based line of the first occurrence of `needle` in `text`. */
function lineOf(text: string, needle: string): number {
    const i = text.indexOf(needle);
    assert.ok(i >= 0, `${needle} not in the source`);
    return text.slice(0, i).split("\n").length;
}

describe("checker/location: property paths are formatPath's inverse", () => {
    it("uses the pack's JSON marker", () => {
        assert.strictEqual(JSON_SEGMENT, JSON_MARK);
    });

    it("parsePath(formatPath(p)) == p for any path of keys up to 64 characters", () => {
        const key = fc.oneof(
            fc.string({ maxLength: 64 }),
            fc.constantFrom("a", "api_key", "$x", "a-b", "0", "{json}", "]", '"', "a b", "x.y", "[0]"),
        );
        const seg = fc.oneof(key, fc.nat({ max: 10000 }), fc.constant(JSON_MARK));
        fc.assert(fc.property(fc.array(seg, { maxLength: 8 }), (p: PathSegment[]) => {
            assert.deepStrictEqual(parsePath(formatPath(p)), p);
        }), { numRuns: 2000 });
    });

    it("parses the documented examples", () => {
        assert.deepStrictEqual(parsePath("properties.accessPolicies[0]"), ["properties", "accessPolicies", 0]);
        assert.deepStrictEqual(parsePath("dataJson{json}.api_key"), ["dataJson", JSON_SEGMENT, "api_key"]);
        assert.deepStrictEqual(parsePath('["weird key"]'), ["weird key"]);
        assert.strictEqual(parsePath("a..b"), undefined);
    });

    it("reads the property out of a finding's message, the description line before it", () => {
        const type = "vault:generic/secret:Secret";
        const msg = `Secrets must not be hard-coded.\n${type} 'it''s' property dataJson{json}["a b"][2] holds a hard-coded secret`;
        assert.deepStrictEqual(propertyPathOf(msg, type, "it''s"), ["dataJson", JSON_SEGMENT, "a b", 2]);
        assert.strictEqual(propertyPathOf(msg, type, "other"), undefined);
        assert.strictEqual(propertyPathOf(`${type} 'x' property token.`, type, "x"), undefined);
        assert.strictEqual(exportNameOf("Desc.\nstack export 'dbPassword' at a.b will be exported"), "dbPassword");
        assert.strictEqual(exportNameOf("no export here"), undefined);
    });
});

describe("checker/location: call sites", () => {
    const dir = path.join(os.tmpdir(), "prog");
    const uri = (f: string) => pathToFileURL(f).toString();

    it("takes the first frame inside the program, not inside node_modules or the SDK", () => {
        const frames = [
            { uri: uri("/sdk/node_modules/@pulumi/aws/s3/bucket.js"), line: 10, column: 5 },
            undefined,
            { uri: uri(path.join(dir, "node_modules/lib/x.js")), line: 3, column: 1 },
            { uri: uri(path.join(dir, "src/stack.ts")), line: 42, column: 7 },
            { uri: uri(path.join(dir, "index.ts")), line: 2, column: 1 },
        ];
        assert.deepStrictEqual(programLocation(frames, dir), { file: "src/stack.ts", line: 42, column: 7 });
        assert.strictEqual(programLocation(frames.slice(0, 3), dir), undefined);
        assert.deepStrictEqual(programLocation([{ uri: "project:///lib/a.ts", line: 4, column: 2 }], dir), { file: "lib/a.ts", line: 4, column: 2 });
    });

    it("reads a state export's sourcePosition", () => {
        assert.deepStrictEqual(parseStatePosition("project:///index.ts#12,5"), { file: "index.ts", line: 12, column: 5 });
        assert.deepStrictEqual(parseStatePosition("project:///src/a%20b.ts#3"), { file: "src/a b.ts", line: 3, column: 1 });
        assert.strictEqual(parseStatePosition("file:///x.ts#1,1"), undefined);
        assert.strictEqual(parseStatePosition("project:///x.ts#0,1"), undefined);
        assert.strictEqual(parseStatePosition(12), undefined);
    });
});

describe("checker/location: the literal's own line through the TypeScript compiler API", () => {
    let dir = "";
    const source = [
        'import * as vault from "@pulumi/vault";',
        'const token = "tok-literal";',
        "const doc = { b: 1 };",
        'const p = new vault.Provider("vault", {',
        '    address: "https://v:8200",',
        "    token,",
        "});",
        'const s = new vault.generic.Secret("s", {',
        '    path: "secret/x",',
        "    dataJson: `{",
        '  "other": 1,',
        '  "api_key": "json-literal"',
        "}`,",
        "    nested: { list: [",
        '        "first",',
        '        { "weird key": "deep-literal" },',
        "    ] },",
        "}, { provider: p });",
        'new vault.kv.SecretV2("ci", { dataJson: JSON.stringify({ repo: "r",',
        '    github_token: "stringify-literal" }) });',
        'export const exported = s.id, other = "x";',
        "const unrelated = doc;",
        "",
    ].join("\n");
    const site = (needle: string): SourceLocation => {
        const line = lineOf(source, needle);
        const col = source.split("\n")[line - 1].indexOf("new ") + 1;
        return { file: "index.ts", line, column: col };
    };

    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "mlsg-loc-"));
        fs.writeFileSync(path.join(dir, "index.ts"), source);
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    const cases: Array<[string, string, PathSegment[], string]> = [
        ["a shorthand property held in a const", 'new vault.Provider("vault"', ["token"], '"tok-literal"'],
        ["a property written in place", 'new vault.Provider("vault"', ["address"], '"https://v:8200"'],
        ["a key inside JSON written as a string", 'new vault.generic.Secret("s"', ["dataJson", JSON_SEGMENT, "api_key"], '"api_key"'],
        ["array items and quoted keys", 'new vault.generic.Secret("s"', ["nested", "list", 1, "weird key"], '"deep-literal"'],
        ["JSON.stringify of an object literal", 'new vault.kv.SecretV2("ci"', ["dataJson", JSON_SEGMENT, "github_token"], '"stringify-literal"'],
    ];
    for (const [what, call, p, literal] of cases) {
        it(what, () => {
            const at = literalLocation(ts, dir, site(call), p);
            assert.strictEqual(at.line, lineOf(source, literal), JSON.stringify(at));
            assert.strictEqual(at.file, "index.ts");
        });
    }

    it("stops at the deepest point the source shows, and at the call site without typescript or source", () => {
        const s = site('new vault.generic.Secret("s"');
        // list[5] is not in the literal: the `list` property's value is as far as the source goes.
        assert.strictEqual(literalLocation(ts, dir, s, ["nested", "list", 5]).line, lineOf(source, "list: ["));
        assert.deepStrictEqual(literalLocation(ts, dir, s, ["missing"]), s);
        assert.deepStrictEqual(literalLocation(undefined, dir, s, ["path"]), s);
        const gone = { ...s, file: "gone.ts" };
        assert.deepStrictEqual(literalLocation(ts, dir, gone, ["path"]), gone);
    });

    it("finds an export in the entry file", () => {
        assert.strictEqual(exportLocation(ts, dir, "index.ts", "other")?.line, lineOf(source, "export const exported"));
        assert.strictEqual(exportLocation(ts, dir, "index.ts", "nope"), undefined);
    });

    it("locates diagnostics: property findings at the literal, others at the call site, exports at the export", () => {
        const urn = "urn:pulumi:dev::p::vault:generic/secret:Secret::s";
        const resources = new Map([[urn, { type: "vault:generic/secret:Secret", name: "s", location: site('new vault.generic.Secret("s"') }]]);
        const ds: Array<{ urn?: string; message: string; location?: SourceLocation }> = [
            { urn, message: "D.\nvault:generic/secret:Secret 's' property dataJson{json}.api_key holds a hard-coded secret" },
            { urn, message: "D.\nsomething about the resource" },
            { message: "D.\nstack export 'exported' will be exported in plaintext" },
            { urn: "urn:pulumi:dev::p::x:y:Z::unknown", message: "D." },
        ];
        locateDiagnostics(ds, resources, { programDir: dir, entryFile: "index.ts", ts });
        assert.strictEqual(ds[0].location?.line, lineOf(source, '"api_key"'));
        assert.deepStrictEqual(ds[1].location, resources.get(urn)!.location);
        assert.strictEqual(ds[2].location?.line, lineOf(source, "export const exported"));
        assert.strictEqual(ds[3].location, undefined);
    });
});

describe("checker/location: sourcePosition of state exports and engine events", () => {
    const { parseStateExport } = require("../../checker/state");
    const { parseEvents } = require("../../checker/events");
    const urn = "urn:pulumi:dev::p::aws:s3/bucket:Bucket::b";

    it("check --state: a resource's sourcePosition becomes its location", () => {
        const doc = {
            version: 3,
            deployment: {
                resources: [
                    { urn: "urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev", type: "pulumi:pulumi:Stack", custom: false },
                    { urn, type: "aws:s3/bucket:Bucket", custom: true, id: "b", inputs: {}, outputs: {}, sourcePosition: "project:///src/index.ts#7,3" },
                ],
            },
        };
        const run = parseStateExport(JSON.stringify(doc), { values: {}, secretKeys: [] });
        const b = run.resources.find((r: { urn: string }) => r.urn === urn);
        assert.deepStrictEqual(b.location, { file: "src/index.ts", line: 7, column: 3 });
    });

    it("events: a policy event's resource gets the sourcePosition its step metadata carries", () => {
        const lines = [
            { resourcePreEvent: { metadata: { op: "create", urn, type: "aws:s3/bucket:Bucket", new: { urn, sourcePosition: "project:///index.ts#9,1" } } } },
            { policyEvent: { resourceUrn: urn, message: "m", policyName: "x", policyPackName: "ml-secrets-guard", enforcementLevel: "mandatory" } },
        ].map((e) => JSON.stringify(e)).join("\n");
        const { report } = parseEvents(lines);
        assert.deepStrictEqual(report.diagnostics[0].location, { file: "index.ts", line: 9, column: 1 });
    });
});
