import * as assert from "assert";
import { cameFrom, decodeBase64Text, environmentSources, MIN_ENV_SOURCE } from "../../../policies/detection/provenance";
import { fake } from "../../helpers/secrets";

describe("detection/provenance", () => {
    describe("environmentSources", () => {
        it("keeps values of at least MIN_ENV_SOURCE characters, once each", () => {
            const long = "x".repeat(MIN_ENV_SOURCE);
            assert.deepStrictEqual(environmentSources({ A: long, B: long, C: long.slice(1), D: undefined }), [long]);
        });

        it("leaves out the variables Pulumi hands stack config through (config provenance knows secret from plaintext)", () => {
            const token = fake.huggingFace();
            const sources = environmentSources({ PULUMI_CONFIG: JSON.stringify({ "p:hf": token }), PULUMI_CONFIG_SECRET_KEYS: '["p:hf"]', HF_TOKEN: token });
            assert.deepStrictEqual(sources, [token]);
            assert.strictEqual(cameFrom({ kind: "format", value: token, match: token }, environmentSources({ PULUMI_CONFIG: JSON.stringify({ "p:hf": token }) })), false);
        });
    });

    describe("cameFrom", () => {
        const pw = "q8Z-vv2PLr9mXw4e";
        it("explains secret text equal to, inside, or made of sources", () => {
            assert.ok(cameFrom({ kind: "format", value: `x${pw}`, match: pw }, [pw]));
            assert.ok(cameFrom({ kind: "format", value: pw, match: pw }, [`Server=a;Password=${pw};`]));
            assert.ok(cameFrom({ kind: "key", value: `Bearer ${pw}`, match: `Bearer ${pw}` }, [pw]));
        });

        it("does not explain a literal that shares only structure with the sources", () => {
            assert.ok(!cameFrom({ kind: "format", value: "postgres://admin:Winter2024!db@db.internal/app", match: "Winter2024!db" }, ["db.internal"]));
            assert.ok(!cameFrom({ kind: "key", value: "Winter2024!db-db.internal", match: "Winter2024!db-db.internal" }, ["db.internal"]));
            assert.ok(!cameFrom({ kind: "format", value: pw, match: pw }, []));
        });

        it("a short secret text is explained only by a source it equals", () => {
            assert.ok(!cameFrom({ kind: "key", value: "hunter", match: "hunt" }, ["hunter2-longer"]));
            assert.ok(cameFrom({ kind: "key", value: "hunt", match: "hunt" }, ["hunt"]));
        });

        it("explains base64 of text made of sources (HTTP basic auth), not base64 of a literal", () => {
            const b64 = (s: string) => Buffer.from(s).toString("base64");
            assert.ok(cameFrom({ kind: "key", value: `Basic ${b64(`admin:${pw}`)}`, match: `Basic ${b64(`admin:${pw}`)}` }, [pw]));
            assert.ok(!cameFrom({ kind: "key", value: `Basic ${b64("admin:Lit3ral-Passw0rd!")}`, match: `Basic ${b64("admin:Lit3ral-Passw0rd!")}` }, [pw]));
        });
    });

    describe("decodeBase64Text", () => {
        it("decodes printable text only", () => {
            assert.strictEqual(decodeBase64Text(Buffer.from("user:password1").toString("base64")), "user:password1");
            assert.strictEqual(decodeBase64Text(Buffer.from([0, 1, 2, 250, 251, 252, 3, 4, 5]).toString("base64")), undefined);
            assert.strictEqual(decodeBase64Text("not base64!"), undefined);
        });
    });
});
