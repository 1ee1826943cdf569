import * as assert from "assert";
import { marshalProperties, nonEmptyDependencies } from "../../../checker/engine/marshal";

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE = "5cf8f73096256a8f31e491e813e4eb8e";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

describe("checker/engine/marshal", () => {
    it("downgrades resource references to the id (custom) or the URN (component)", () => {
        const out = marshalProperties({
            key: { [SIG]: RESOURCE, urn: "urn:pulumi:dev::p::aws:kms/key:Key::k", id: "key-123", packageVersion: "7.48.0" },
            pending: { [SIG]: RESOURCE, urn: "urn:pulumi:dev::p::aws:kms/key:Key::k2", id: UNKNOWN },
            comp: { [SIG]: RESOURCE, urn: "urn:pulumi:dev::p::my:Comp::c" },
            list: [{ [SIG]: RESOURCE, urn: "urn:pulumi:dev::p::my:Comp::c" }],
        }, { skipInternalKeys: true });
        assert.deepStrictEqual(out, {
            comp: "urn:pulumi:dev::p::my:Comp::c",
            key: "key-123",
            list: ["urn:pulumi:dev::p::my:Comp::c"],
            pending: UNKNOWN,
        });
    });

    it("keeps secret wrappers and unknown sentinels, and references inside secrets are downgraded", () => {
        const wrapped = { [SIG]: SECRET, value: { [SIG]: RESOURCE, urn: "urn:pulumi:dev::p::t:m:R::r", id: "r-1" } };
        const out = marshalProperties({ s: wrapped, u: UNKNOWN }, { skipInternalKeys: true });
        assert.deepStrictEqual(out, { s: { [SIG]: SECRET, value: "r-1" }, u: UNKNOWN });
    });

    it("drops keys starting with __ at every object level unless told not to (Remediate)", () => {
        const props = { __defaults: ["a"], a: { __inner: 1, b: 2 }, ok: true };
        assert.deepStrictEqual(marshalProperties(props, { skipInternalKeys: true }), { a: { b: 2 }, ok: true });
        assert.deepStrictEqual(marshalProperties(props, { skipInternalKeys: false }), props);
    });

    it("omits property dependencies with no URNs", () => {
        assert.deepStrictEqual(nonEmptyDependencies({ a: [], b: ["urn:x"] }), { b: ["urn:x"] });
    });
});
