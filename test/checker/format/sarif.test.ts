import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import Ajv from "ajv";
import { formatSarif, entryFileUri, sarifLevel } from "../../../checker/format/sarif";
import { MSG, report, URNS } from "./report-fixture";

const SCHEMA_FILE = path.resolve(__dirname, "../../../../test/schemas/sarif-2.1.0.json");

function validator() {
    const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8"));
    // ajv-formats is not installed: formats (uri, date-time) are not checked, every other keyword is.
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    const v = ajv.compile(schema);
    // A plain boolean function: ajv's type-guard signature would narrow the checked value to its (unknown) type.
    const check = (x: unknown): boolean => v(x) as boolean;
    return Object.defineProperty(check, "errors", { get: () => v.errors }) as typeof check & { errors: typeof v.errors };
}

describe("checker/format/sarif", () => {
    const validate = validator();
    const opts = { repoRoot: "/repo", entryFile: undefined as string | undefined };
    const r = report();
    r.program = "/repo/examples/ml-stack";
    const log = JSON.parse(formatSarif(r, opts));
    const run = log.runs[0];

    it("validates against the SARIF 2.1.0 JSON schema", () => {
        const ok = validate(log);
        assert.ok(ok, JSON.stringify(validate.errors, null, 2));
        assert.strictEqual(log.$schema, "https://json.schemastore.org/sarif-2.1.0.json");
        assert.strictEqual(log.version, "2.1.0");
        assert.strictEqual(log.runs.length, 1);
    });

    it("the schema check can fail (sanity check of the validator)", () => {
        const broken = JSON.parse(JSON.stringify(log));
        broken.runs[0].results[0].level = "fatal";
        delete broken.version;
        assert.strictEqual(validate(broken), false);
        const paths = (validate.errors ?? []).map((e) => e.instancePath);
        assert.ok(paths.includes("/runs/0/results/0/level"), JSON.stringify(paths));
    });

    it("has one rule per policy with descriptions, help, severity and security-severity", () => {
        const d = run.tool.driver;
        assert.strictEqual(d.name, "ml-secrets-guard");
        assert.strictEqual(d.version, "0.1.0");
        assert.deepStrictEqual(
            d.rules.map((x: { id: string }) => x.id),
            ["no-hardcoded-secrets", "no-plaintext-secret-exports", "kms-encrypted-secrets", "legacy-rule"],
        );
        const rule = d.rules[0];
        assert.strictEqual(rule.shortDescription.text, "No hard-coded secrets");
        assert.strictEqual(rule.fullDescription.text, "Secrets must not be written as literals in resource inputs.");
        assert.match(rule.help.text, /pulumi config set --secret/);
        assert.strictEqual(rule.properties.severity, "critical");
        const scores = d.rules.map((x: { properties: Record<string, string> }) => Number(x.properties["security-severity"]));
        assert.deepStrictEqual(scores, [9.5, 8.0, 5.5, 3.0]);
        assert.ok(rule.properties.tags.includes("security"));
        assert.strictEqual(d.rules[3].defaultConfiguration.enabled, false);
    });

    it("maps mandatory to error and advisory to warning, keeps messages as they are", () => {
        const byUrn = new Map(
            run.results.map((x: { locations: { logicalLocations: { fullyQualifiedName: string }[] }[] }) => [
                x.locations[0].logicalLocations[0].fullyQualifiedName,
                x,
            ]),
        );
        const lambda = byUrn.get(URNS.lambda) as Record<string, any>;
        assert.strictEqual(lambda.ruleId, "no-hardcoded-secrets");
        assert.strictEqual(lambda.level, "error");
        assert.strictEqual(lambda.message.text, MSG.lambdaKey);
        assert.strictEqual(run.tool.driver.rules[lambda.ruleIndex].id, lambda.ruleId);
        const kms = byUrn.get(URNS.secret) as Record<string, any>;
        assert.strictEqual(kms.level, "warning");
        assert.strictEqual(run.results.length, 4);
        assert.strictEqual(sarifLevel("remediate"), "note");
    });

    it("gives every result a logical resource location and a physical location in the repo", () => {
        for (const res of run.results) {
            const loc = res.locations[0];
            assert.strictEqual(loc.logicalLocations[0].kind, "resource");
            assert.match(loc.logicalLocations[0].fullyQualifiedName, /^urn:pulumi:dev::ml-pipeline::/);
            assert.strictEqual(loc.physicalLocation.artifactLocation.uri, "examples/ml-stack/index.ts");
            assert.strictEqual(loc.physicalLocation.region.startLine, 1);
        }
        // Stack-wide findings sit on the root stack resource.
        const stackWide = run.results.find((x: { ruleId: string }) => x.ruleId === "no-plaintext-secret-exports");
        assert.strictEqual(stackWide.locations[0].logicalLocations[0].fullyQualifiedName, URNS.stack);
    });

    it("gives distinct results distinct fingerprints (GitHub would merge equal ones)", () => {
        const fps = run.results.map((x: { partialFingerprints: Record<string, string> }) => Object.values(x.partialFingerprints)[0]);
        assert.strictEqual(new Set(fps).size, fps.length);
    });

    it("makes the entry file relative to the repo root, posix-separated and encoded", () => {
        assert.strictEqual(entryFileUri("examples/ml-stack", { repoRoot: "/repo" }), "examples/ml-stack/index.ts");
        assert.strictEqual(entryFileUri("/repo/a b/Pulumi.yaml", { repoRoot: "/repo" }), "a%20b/index.ts");
        assert.strictEqual(entryFileUri("/repo/x", { repoRoot: "/repo", entryFile: "/repo/x/src/main.ts" }), "x/src/main.ts");
        assert.strictEqual(entryFileUri(".", { repoRoot: "/repo" }), "index.ts");
    });

    it("still validates with no diagnostics and with a diagnostic of an unlisted policy", () => {
        const empty = report();
        empty.diagnostics = [];
        assert.ok(validate(JSON.parse(formatSarif(empty, opts))), JSON.stringify(validate.errors));
        const extra = report();
        extra.diagnostics.push({ ...extra.diagnostics[1], policyName: "from-another-version" });
        const l = JSON.parse(formatSarif(extra, opts));
        assert.ok(validate(l), JSON.stringify(validate.errors));
        assert.ok(l.runs[0].tool.driver.rules.some((x: { id: string }) => x.id === "from-another-version"));
    });
});
