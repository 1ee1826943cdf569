import * as assert from "assert";
import { marshalProperties, nonEmptyDependencies } from "../../../checker/engine/marshal";

import { RESOURCE_REF_SIG, SECRET_SIG, SIG_KEY, UNKNOWN_STRING } from "../../../policies/lib/wire";

describe("checker/engine/marshal", () => {
    it("downgrades resource references to the id (custom) or the URN (component)", () => {
        const out = marshalProperties({
            key: { [SIG_KEY]: RESOURCE_REF_SIG, urn: "urn:pulumi:dev::p::aws:kms/key:Key::k", id: "key-123", packageVersion: "7.48.0" },
            pending: { [SIG_KEY]: RESOURCE_REF_SIG, urn: "urn:pulumi:dev::p::aws:kms/key:Key::k2", id: UNKNOWN_STRING },
            comp: { [SIG_KEY]: RESOURCE_REF_SIG, urn: "urn:pulumi:dev::p::my:Comp::c" },
            list: [{ [SIG_KEY]: RESOURCE_REF_SIG, urn: "urn:pulumi:dev::p::my:Comp::c" }],
        }, { skipInternalKeys: true });
        assert.deepStrictEqual(out, {
            comp: "urn:pulumi:dev::p::my:Comp::c",
            key: "key-123",
            list: ["urn:pulumi:dev::p::my:Comp::c"],
            pending: UNKNOWN_STRING,
        });
    });

    it("keeps secret wrappers and unknown sentinels, and references inside secrets are downgraded", () => {
        const wrapped = { [SIG_KEY]: SECRET_SIG, value: { [SIG_KEY]: RESOURCE_REF_SIG, urn: "urn:pulumi:dev::p::t:m:R::r", id: "r-1" } };
        const out = marshalProperties({ s: wrapped, u: UNKNOWN_STRING }, { skipInternalKeys: true });
        assert.deepStrictEqual(out, { s: { [SIG_KEY]: SECRET_SIG, value: "r-1" }, u: UNKNOWN_STRING });
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
