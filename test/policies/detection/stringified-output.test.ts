// The recogniser of Pulumi's Output-stringified warning text, on the texts the pinned @pulumi/pulumi really produces.
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { findCredentialFormats, findStringifiedOutputs, isStringifiedOutput, STRINGIFIED_OUTPUT_HEADS } from "../../../policies/detection";
import { scanProps } from "../../../policies/detection/scan";
import { withoutStringifiedOutputs } from "../../../policies/detection/stringified-output";
import { fake } from "../../helpers/secrets";

const out = pulumi.output("value-from-config");
/** What the SDK stores: JSON.stringify calls toJSON, a template literal calls toString. */
const viaJson = JSON.stringify({ environment: [{ name: "HF_TOKEN", value: out }] });
const viaTemplate = `${out}`;

describe("detection/stringified-output", () => {
    it("the pinned SDK's texts start with the heads the recogniser looks for", () => {
        assert.ok(JSON.parse(viaJson).environment[0].value.startsWith(STRINGIFIED_OUTPUT_HEADS.toJSON));
        assert.ok(viaTemplate.startsWith(STRINGIFIED_OUTPUT_HEADS.toString));
    });

    it("finds the toJSON text as a value, inside the raw JSON document, and the toString text with its suffix", () => {
        const leaf = JSON.parse(viaJson).environment[0].value as string;
        assert.deepStrictEqual(findStringifiedOutputs(leaf).map((f) => [f.method, f.start, f.end]), [["toJSON", 0, leaf.length]]);
        assert.deepStrictEqual(findStringifiedOutputs(viaJson).map((f) => f.method), ["toJSON"]);
        assert.deepStrictEqual(findStringifiedOutputs(viaTemplate).map((f) => [f.method, f.start, f.end]), [["toString", 0, viaTemplate.length]]);
    });

    it("finds each of several texts, in order, with what surrounds them", () => {
        const s = `Bearer ${out} and ${JSON.stringify(out)}!`;
        const found = findStringifiedOutputs(s);
        assert.deepStrictEqual(found.map((f) => f.method), ["toString", "toJSON"]);
        assert.strictEqual(s.slice(0, found[0].start), "Bearer ");
        assert.strictEqual(withoutStringifiedOutputs(s), 'Bearer output and "output\\nThis function may throw in a future version of @pulumi/pulumi."!');
    });

    it("the texts themselves match no credential format", () => {
        assert.deepStrictEqual(findCredentialFormats(viaJson), []);
        assert.deepStrictEqual(findCredentialFormats(viaTemplate), []);
    });

    it("isStringifiedOutput: true when nothing around the text is a credential, false when it is", () => {
        assert.strictEqual(isStringifiedOutput(viaTemplate), true);
        assert.strictEqual(isStringifiedOutput(`Bearer ${out}`), true);
        assert.strictEqual(isStringifiedOutput(viaJson), true);
        // A password written before an interpolated host is still the program's literal.
        assert.strictEqual(isStringifiedOutput(`postgres://admin:${fake.password()}@${out}/app`), false);
        assert.strictEqual(isStringifiedOutput(`${fake.githubPat()} ${out}`), false);
    });

    it("other strings are not the text: near misses, empty, non-strings", () => {
        for (const s of ["", "Calling [toJSON] on an [Output] is not supported.", "is not supported", "Output<T>", "calling [tojson] on an [output<t>] is not supported."]) {
            assert.deepStrictEqual(findStringifiedOutputs(s), [], s);
            assert.strictEqual(isStringifiedOutput(s), false, s);
        }
        assert.deepStrictEqual(findStringifiedOutputs(42 as never), []);
    });

    it("a truncated text (no body end) runs to the end of the string", () => {
        const s = `x ${STRINGIFIED_OUTPUT_HEADS.toJSON} cut`;
        assert.deepStrictEqual(findStringifiedOutputs(s).map((f) => [f.start, f.end]), [[2, s.length]]);
    });
});

describe("detection/scan skips the text", () => {
    it("under token keys, as a value and inside JSON: no candidate from any detector", () => {
        assert.deepStrictEqual(scanProps("aws:lambda/function:Function", {
            environment: { variables: { HF_TOKEN: viaTemplate, AUTHORIZATION: `Bearer ${out}` } },
            containerDefinitions: viaJson,
            password: viaTemplate,
        }), []);
    });

    it("a credential written around the text is still a candidate", () => {
        const c = scanProps("aws:lambda/function:Function", { environment: { variables: { DATABASE_URL: `postgres://admin:${fake.password()}@${out}/app` } } });
        assert.deepStrictEqual(c.map((x) => x.detector), ["url-password"]);
    });
});
