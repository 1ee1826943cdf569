// The detector table (policies/detection/detectors.ts): every row's own examples, and the table's invariants.
import * as assert from "assert";
import { DETECTORS, Example } from "../../../policies/detection/detectors";
import { FORMAT_DETECTORS, findCredentialFormats, MIN_FORMAT_LENGTH } from "../../../policies/detection/formats";

const text = (e: Example) => (typeof e === "string" ? e : e.s);
const keyOf = (e: Example) => (typeof e === "string" ? undefined : e.key);
const foundBy = (e: Example, id: string) => findCredentialFormats(text(e), { key: keyOf(e) }).filter((h) => h.detector === id);

describe("detection/detectors: the table", () => {
    it("declares each id once, kebab-case, with a label, a description and keywords", () => {
        const ids = DETECTORS.map((d) => d.id);
        assert.strictEqual(new Set(ids).size, ids.length);
        for (const d of DETECTORS) {
            assert.match(d.id, /^[a-z0-9]+(?:-[a-z0-9]+)*$/);
            assert.ok(d.label.length > 0 && d.description.length > 0, d.id);
            assert.ok(d.keywords.length > 0, `${d.id}: no keywords`);
            assert.ok((d.regex === undefined) !== (d.custom === undefined), `${d.id}: exactly one of regex and custom`);
            if (d.regex) assert.ok(d.regex.global, `${d.id}: regex must be global`);
        }
    });

    it("FORMAT_DETECTORS is the table's ids, labels and descriptions, in order", () => {
        assert.deepStrictEqual(FORMAT_DETECTORS, DETECTORS.map((d) => ({ id: d.id, label: d.label, description: d.description })));
    });

    it("keeps every detector id users may have in disabledDetectors", () => {
        const stable = ["aws-access-key-id", "aws-secret-access-key", "gcp-api-key", "gcp-service-account-key", "azure-storage-key",
            "azure-shared-access-key", "azure-sas-token", "vault-token", "openai-api-key", "anthropic-api-key", "huggingface-token",
            "github-token", "gitlab-token", "slack-token", "slack-webhook", "stripe-key", "databricks-token", "private-key", "jwt",
            "url-password", "connection-string-password", "pulumi-access-token", "npm-token", "replicate-token",
            "azure-ad-client-secret", "secret-assignment"];
        const ids = new Set(DETECTORS.map((d) => d.id));
        assert.deepStrictEqual(stable.filter((id) => !ids.has(id)), []);
    });

    it("MIN_FORMAT_LENGTH: no row finds anything in a shorter string, and the shortest format is found", () => {
        for (const d of DETECTORS) {
            for (const e of d.examples.true) assert.ok(text(e).length >= MIN_FORMAT_LENGTH, `${d.id}: a true example is shorter than MIN_FORMAT_LENGTH`);
        }
        assert.deepStrictEqual(findCredentialFormats("a://:p@h").map((h) => h.detector), ["url-password"]);
        assert.strictEqual("a://:p@h".length, MIN_FORMAT_LENGTH);
    });

    it("the prefilter is case-insensitive: a keyword in any case enables its row", () => {
        // The connection-string row's keywords (password, pwd) in three cases; its regex is case-insensitive too.
        for (const kw of ["Password", "PASSWORD", "pWd"]) {
            const s = `Server=db;User Id=app;${kw}=Fake0Example1Body`;
            assert.deepStrictEqual(findCredentialFormats(s).map((h) => h.detector), ["connection-string-password"], kw);
        }
    });

    it("a generic row (the assignment form) gives way to a specific row on the same value", () => {
        const key = "sk-proj-" + "Fake0Example1Body2".repeat(3);
        const hits = findCredentialFormats(`OPENAI_API_KEY=${key}`);
        assert.deepStrictEqual(hits.map((h) => h.detector), ["openai-api-key"]);
        assert.deepStrictEqual(findCredentialFormats(`OPENAI_API_KEY=${key}`, { disabled: new Set(["openai-api-key"]) }).map((h) => h.detector), ["secret-assignment"]);
    });
});

describe("detection/detectors: every row's examples", () => {
    for (const d of DETECTORS) {
        it(`${d.id}: has at least one true and one false example`, () => {
            assert.ok(d.examples.true.length >= 1 && d.examples.false.length >= 1);
        });
        it(`${d.id}: finds every true example, with a span inside the string`, () => {
            for (const [i, e] of d.examples.true.entries()) {
                const hits = foundBy(e, d.id);
                assert.ok(hits.length > 0, `true example #${i} not found`);
                for (const h of hits) assert.ok(h.start >= 0 && h.end <= text(e).length && h.end > h.start, `true example #${i}: bad span`);
            }
        });
        it(`${d.id}: finds no false example`, () => {
            for (const [i, e] of d.examples.false.entries()) assert.deepStrictEqual(foundBy(e, d.id), [], `false example #${i} found`);
        });
    }
});
