import * as assert from "assert";
import { formatJunit, xmlEscape } from "../../../checker/format/junit";
import { childrenNamed, parseXml, XmlElement } from "./xml";
import { MSG, report, URNS } from "./report-fixture";

const NAMES = {
    stack: "pulumi:pulumi:Stack::ml-pipeline-dev",
    bucket: "aws:s3/bucket:Bucket::training-data",
    lambda: "aws:lambda/function:Function::inference",
    secret: "aws:secretsmanager/secretVersion:SecretVersion::hf-token",
    trainer: "ml:index:Trainer::trainer",
    job: "gcp:cloudrunv2/job:Job::trainer-job",
};

function n(el: XmlElement, attr: string): number {
    return Number(el.attrs[attr]);
}

describe("checker/format/junit", () => {
    const out = formatJunit(report());
    const root = parseXml(out);
    const suites = childrenNamed(root, "testsuite");

    it("is well-formed XML with a testsuites root", () => {
        assert.strictEqual(root.name, "testsuites");
        assert.ok(out.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n'));
    });

    it("has one suite per evaluated policy and one test case per (policy, resource) pair", () => {
        // legacy-rule is disabled: not evaluated. 6 resources (the stack resource among them).
        assert.deepStrictEqual(
            suites.map((s) => s.attrs.name),
            ["ml-secrets-guard/no-hardcoded-secrets", "ml-secrets-guard/no-plaintext-secret-exports", "ml-secrets-guard/kms-encrypted-secrets"],
        );
        for (const s of suites) {
            const cases = childrenNamed(s, "testcase");
            assert.strictEqual(cases.length, 6);
            assert.strictEqual(n(s, "tests"), 6);
            assert.strictEqual(n(s, "failures"), cases.filter((c) => childrenNamed(c, "failure").length > 0).length);
            assert.deepStrictEqual(cases.map((c) => c.attrs.name), [NAMES.stack, NAMES.bucket, NAMES.lambda, NAMES.secret, NAMES.trainer, NAMES.job]);
        }
        assert.strictEqual(n(root, "tests"), 18);
        assert.strictEqual(n(root, "failures"), 2);
        assert.strictEqual(n(suites[0], "failures"), 2);
        assert.strictEqual(n(suites[1], "failures"), 0);
    });

    it("fails mandatory pairs and puts advisory findings in system-out", () => {
        const hard = childrenNamed(suites[0], "testcase");
        const lambda = hard.find((c) => c.attrs.name === NAMES.lambda)!;
        const failure = childrenNamed(lambda, "failure")[0];
        assert.strictEqual(failure.attrs.type, "mandatory");
        assert.strictEqual(failure.attrs.message, MSG.lambdaKey.split("\n")[0]);
        assert.ok(failure.text.endsWith(MSG.lambdaKey));

        const kms = childrenNamed(suites[2], "testcase").find((c) => c.attrs.name === NAMES.secret)!;
        assert.strictEqual(childrenNamed(kms, "failure").length, 0);
        assert.ok(childrenNamed(kms, "system-out")[0].text.endsWith(MSG.kms));

        // The stack-wide advisory finding is on the stack resource's test case, not a failure.
        const stack = childrenNamed(suites[1], "testcase").find((c) => c.attrs.name === NAMES.stack)!;
        assert.strictEqual(childrenNamed(stack, "failure").length, 0);
        assert.ok(childrenNamed(stack, "system-out")[0].text.endsWith(MSG.stackExport));
    });

    it("adds a stack test case when the report does not list the stack resource", () => {
        const r = report();
        r.resources = r.resources.filter((x) => x.urn !== URNS.stack);
        const doc = parseXml(formatJunit(r));
        for (const s of childrenNamed(doc, "testsuite")) {
            assert.strictEqual(childrenNamed(s, "testcase").length, 6);
            assert.ok(childrenNamed(s, "testcase").some((c) => c.attrs.name === NAMES.stack));
        }
    });

    it("escapes <&\"' and control characters in text and attributes", () => {
        const nasty = `a <b> & "c" 'd' \u0001 \u001b[0m \uffff end`;
        const r = report();
        r.diagnostics[3].message = `${nasty}\nsecond line`;
        r.resources[2].name = `fn<&"'>\u0002`;
        const xml = formatJunit(r);
        const doc = parseXml(xml); // throws when not well-formed
        const c = childrenNamed(childrenNamed(doc, "testsuite")[0], "testcase")[2];
        const expected = `a <b> & "c" 'd' \\u0001 \\u001b[0m \\uffff end`;
        assert.strictEqual(childrenNamed(c, "failure")[0].attrs.message, expected);
        assert.ok(childrenNamed(c, "failure")[0].text.endsWith(`${expected}\nsecond line`));
        assert.strictEqual(c.attrs.name, `aws:lambda/function:Function::fn<&"'>\\u0002`);
        assert.strictEqual(xmlEscape("\t\n\r"), "&#9;&#10;&#13;");
        assert.strictEqual(xmlEscape("\t\n\r", true), "\t\n&#13;");
        assert.strictEqual(xmlEscape("😀"), "😀");
        assert.strictEqual(xmlEscape("\ud800x"), "\\ud800x");
    });

    it("names a test case by URN when two resources share type and name", () => {
        const r = report();
        const other = URNS.job.replace("ml:index:Trainer$", "ml:index:Evaluator$");
        r.resources.push({ urn: other, type: "gcp:cloudrunv2/job:Job", name: "trainer-job" });
        const names = childrenNamed(childrenNamed(parseXml(formatJunit(r)), "testsuite")[0], "testcase").map((c) => c.attrs.name);
        assert.ok(names.includes(URNS.job) && names.includes(other), JSON.stringify(names));
        assert.ok(names.includes(NAMES.lambda));
    });

    it("the XML checker rejects what is not well-formed", () => {
        assert.throws(() => parseXml("<a><b></a></b>"));
        assert.throws(() => parseXml('<a x="1 & 2"/>'));
        assert.throws(() => parseXml("<a>\u0001</a>"));
        assert.throws(() => parseXml('<a x="<"/>'));
        assert.throws(() => parseXml("<a/><b/>"));
    });
});
