import * as assert from "assert";
import { isMaskedSecret } from "../../../policies/detection";

describe("detection/masked", () => {
    it("[secret] (any case) and runs of mask characters are masks; other values are not", () => {
        for (const s of ["[secret]", " [secret] ", "[SECRET]", "********", "***", "•••••", "●●●"]) {
            assert.strictEqual(isMaskedSecret(s), true, s);
        }
        for (const s of ["[secrets]", "secret", "**", "pa**word", "", "[SECRET]x", "[YOUR_KEY]", "sk-****", "x*****", "[secret]x"]) {
            assert.strictEqual(isMaskedSecret(s), false, s);
        }
        assert.strictEqual(isMaskedSecret(undefined as never), false);
    });
});
