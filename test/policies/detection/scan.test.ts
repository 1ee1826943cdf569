// scanProps precision (issue 10 §2): enumeration words at secret-looking keys, `[secret]` and masks are never
// findings; real secrets at the same keys still are.
import * as assert from "assert";
import { Candidate, KEY_DETECTORS, scanProps } from "../../../policies/detection/scan";
import { isEnumWord, isPlaceholder } from "../../../policies/detection/placeholders";
import { formatPath } from "../../../policies/lib/wire";
import { fake } from "../../helpers/secrets";

const at = (cs: Candidate[]) => cs.map((c) => `${c.detector} ${formatPath(c.path)}`).sort();

describe("detection/scan: precision", () => {
    it("declares secret-sink as a key detector (so disabledDetectors accepts it)", () => {
        assert.ok(KEY_DETECTORS.some((d) => d.id === "secret-sink"));
    });

    describe("settings and identifiers at secret-looking keys (seen in realistic programs)", () => {
        it("lower-case setting words and booleans sent as strings are modes, not secrets", () => {
            assert.deepStrictEqual(at(scanProps("aws:ec2/instance:Instance", { metadataOptions: { httpTokens: "required", httpEndpoint: "enabled" } })), []);
            assert.deepStrictEqual(at(scanProps("pulumi:providers:vault", { address: "https://vault.example.com", skipChildToken: "true" })), []);
            // The control: a word that is not a setting, at the same keys, is still a literal there.
            assert.deepStrictEqual(at(scanProps("aws:ec2/instance:Instance", { metadataOptions: { httpTokens: "Hunter2-Pw!" } })), ["secret-key-name metadataOptions.httpTokens"]);
        });
        it("a GUID at a schema-secret input whose key names an identifier is not a secret; at a key naming a secret it is", () => {
            const guid = "b1e9c0de-4f7a-4c2e-9d3b-5a6f7e8d9c0b";
            assert.deepStrictEqual(at(scanProps("pulumi:providers:azure-native", { clientId: guid, tenantId: guid, subscriptionId: guid })), []);
            assert.deepStrictEqual(at(scanProps("pulumi:providers:azure-native", { clientId: guid, clientSecret: guid })), ["schema-secret-input clientSecret"]);
        });
    });

    describe("enumeration words at secret-looking keys", () => {
        for (const word of ["NONE", "AWS_IAM", "CUSTOM", "COGNITO_USER_POOLS", "JWT"]) {
            it(`API Gateway authorization: "${word}" is not a finding`, () => {
                assert.deepStrictEqual(at(scanProps("aws:apigateway/method:Method", { restApi: "abc123", httpMethod: "ANY", authorization: word })), []);
            });
        }
        it("authorizationType, authType and tokenType hold enumeration words, not secrets", () => {
            assert.deepStrictEqual(at(scanProps("aws:apigatewayv2/route:Route", { routeKey: "GET /", authorizationType: "NONE" })), []);
            assert.deepStrictEqual(at(scanProps("aws:lambda/functionUrl:FunctionUrl", { authorizationType: "AWS_IAM" })), []);
            assert.deepStrictEqual(at(scanProps("example:index:Hook", { authType: "NONE", tokenType: "Bearer", auth: { tokenType: "bearer", type: "OAUTH2" } })), []);
        });
        it("NONE is an enumeration word, not a committed placeholder; lower-case none and CHANGE_ME still are placeholders", () => {
            assert.strictEqual(isPlaceholder("NONE"), false);
            assert.strictEqual(isPlaceholder("none"), true);
            assert.strictEqual(isPlaceholder("CHANGE_ME"), true);
            assert.strictEqual(isPlaceholder("YOUR_API_KEY"), true);
            assert.deepStrictEqual(at(scanProps("pulumi:providers:vault", { token: "CHANGE_ME" })), ["placeholder token"]);
        });
        it("isEnumWord: upper-case words with underscores, not random upper-case keys", () => {
            for (const w of ["NONE", "AWS_IAM", "COGNITO_USER_POOLS", "HMAC_SHA256", "SHA256"]) assert.strictEqual(isEnumWord(w), true, w);
            for (const w of ["N", "none", "Bearer", "X7K9P2M4Q8R1", "AKIAABCDEFGHIJKLMNOP2", "AB_", "_AB", "A".repeat(41), "NONE "]) assert.strictEqual(isEnumWord(w), false, w);
        });
        it("keeps recall: real secrets at the same keys are still found", () => {
            const pat = fake.githubPat();
            const hf = fake.huggingFace();
            assert.deepStrictEqual(at(scanProps("aws:apigateway/integration:Integration", { requestParameters: { authorization: `token ${pat}` } })), ["github-token requestParameters.authorization"]);
            assert.deepStrictEqual(at(scanProps("example:index:Hook", { headers: { Authorization: `Bearer ${hf}` } })), ["huggingface-token headers.Authorization"]);
            // A mixed-case literal at a secret-bearing key is still a literal there.
            assert.deepStrictEqual(at(scanProps("example:index:Hook", { authorization: "Basic Zm9vOmJhcg-local" })), ["secret-key-name authorization"]);
            assert.deepStrictEqual(at(scanProps("aws:rds/instance:Instance", { password: "Sup3rS3cret!2024" })), ["schema-secret-input password"]);
        });
    });

    describe("`[secret]` and masks", () => {
        it("is never a finding: at secret-bearing keys, schema-secret inputs, sinks, pairs and in JSON", () => {
            for (const v of ["[secret]", "********"]) {
                assert.deepStrictEqual(at(scanProps("pulumi:providers:vault", { token: v })), [], v);
                assert.deepStrictEqual(at(scanProps("aws:rds/instance:Instance", { password: v })), [], v);
                assert.deepStrictEqual(at(scanProps("azure-native:keyvault:Secret", { properties: { value: v } })), [], v);
                assert.deepStrictEqual(at(scanProps("aws:ecs/taskDefinition:TaskDefinition", { containerDefinitions: JSON.stringify([{ environment: [{ name: "DB_PASSWORD", value: v }] }]) })), [], v);
                assert.deepStrictEqual(at(scanProps("vault:kv/secretV2:SecretV2", { dataJson: JSON.stringify({ api_key: v }) })), [], v);
            }
        });
        it("control: other bracketed hints and partial masks are still placeholders", () => {
            assert.deepStrictEqual(at(scanProps("pulumi:providers:vault", { token: "[YOUR_TOKEN]" })), ["placeholder token"]);
            assert.deepStrictEqual(at(scanProps("pulumi:providers:vault", { token: "sk-xxxxxxxxxxxx" })), ["placeholder token"]);
        });
    });
});
