import * as assert from "assert";
import {
    checkTransitKeyRotation, parseVaultDuration, remediateTransitKeyRotation, TRANSIT_KEY_TYPE,
} from "../../../policies/rules/vault-transit-key-rotation";
import { meta } from "../../../policies/vault-transit-key-rotation";
import { defaultsOf } from "../../../policies/lib/config-schema";
import type { VaultTransitRotationConfig } from "../../../policies/rules/vault-transit-key-rotation";
import { isSecretWrapper, WireObject } from "../../../policies/lib/wire";
import { Case, messages, neverThrows, runCases, secret, subject, UNKNOWN_BOOL, UNKNOWN_NUMBER, verdict } from "../../helpers/rule-cases";

/** The policy's settings at their schema defaults. */
const defaults = defaultsOf<VaultTransitRotationConfig>(meta);
const rule = (s: Parameters<typeof checkTransitKeyRotation>[0]) => checkTransitKeyRotation(s, defaults);
const base = { backend: "transit", name: "ml-data" };

const cases: Case[] = [
    { name: "90 days", props: { ...base, autoRotatePeriod: 7776000 }, expect: "pass" },
    { name: "one hour", props: { ...base, autoRotatePeriod: 3600 }, expect: "pass" },
    { name: "numeric string", props: { ...base, autoRotatePeriod: "86400" }, expect: "pass" },
    { name: "secret-wrapped period", props: { ...base, autoRotatePeriod: secret(86400) }, expect: "pass" },
    { name: "legacy autoRotateInterval", props: { ...base, autoRotateInterval: 86400 }, expect: "pass" },
    { name: "Vault duration string", props: { ...base, autoRotatePeriod: "720h" }, expect: "pass" },
    { name: "exportable false explicitly", props: { ...base, autoRotatePeriod: 86400, exportable: false, allowPlaintextBackup: false }, expect: "pass" },
    { name: "missing", props: { ...base }, expect: "fail", match: [/Vault transit key 'res'/, /autoRotatePeriod is not set/, /between 3600 and 7776000/], count: 1 },
    { name: "zero", props: { ...base, autoRotatePeriod: 0 }, expect: "fail", match: [/is 0, which turns automatic rotation off/] },
    { name: "under an hour", props: { ...base, autoRotatePeriod: 600 }, expect: "fail", match: [/less than the one hour/] },
    { name: "too long", props: { ...base, autoRotatePeriod: 31536000 }, expect: "fail", match: [/more than the allowed 7776000/] },
    { name: "legacy interval too long", props: { ...base, autoRotateInterval: 31536000 }, expect: "fail", match: [/autoRotateInterval is 31536000/] },
    { name: "malformed", props: { ...base, autoRotatePeriod: "soon" }, expect: "fail", match: [/not a number of seconds/] },
    { name: "boolean instead of number", props: { ...base, autoRotatePeriod: true }, expect: "fail" },
    { name: "array instead of number", props: { ...base, autoRotatePeriod: [3600] as never }, expect: "fail" },
    { name: "exportable", props: { ...base, autoRotatePeriod: 86400, exportable: true }, expect: "fail", match: [/exportable: true/, /never allows turning this off/], count: 1 },
    { name: "plaintext backup as a string 'true'", props: { ...base, autoRotatePeriod: 86400, allowPlaintextBackup: "true" }, expect: "fail", match: [/allowPlaintextBackup: true/] },
    { name: "both rotation and exportable wrong: two findings", props: { ...base, exportable: true, allowPlaintextBackup: true }, expect: "fail", count: 2, match: [/autoRotatePeriod is not set/, /exportable: true and allowPlaintextBackup: true/] },
    { name: "period unknown", props: { ...base, autoRotatePeriod: UNKNOWN_NUMBER }, expect: "na", match: [/unknown during preview; checked at update/] },
    { name: "exportable unknown", props: { ...base, autoRotatePeriod: 86400, exportable: UNKNOWN_BOOL }, expect: "na" },
    { name: "period unknown but exportable true: still a violation", props: { ...base, autoRotatePeriod: UNKNOWN_NUMBER, exportable: true }, expect: "fail", count: 1 },
    { name: "other type", type: "vault:index/mount:Mount", props: {}, expect: "na" },
];

describe("vault-transit-key-rotation rule", () => {
    runCases("cases", TRANSIT_KEY_TYPE, cases, rule);

    it("parses Vault duration strings", () => {
        assert.strictEqual(parseVaultDuration("3600"), 3600);
        assert.strictEqual(parseVaultDuration("1h30m"), 5400);
        assert.strictEqual(parseVaultDuration("30d"), 30 * 86400);
        for (const bad of ["", "h", "1x", "1h2", "-1h", "1.5h"]) assert.strictEqual(parseVaultDuration(bad), undefined, `length ${bad.length}`);
    });

    it("honours the configured maximum", () => {
        const s = subject(TRANSIT_KEY_TYPE, { ...base, autoRotatePeriod: 2592000 });
        assert.strictEqual(verdict(checkTransitKeyRotation(s, { maxAutoRotatePeriodSeconds: 2591999 })), "fail");
        assert.strictEqual(verdict(checkTransitKeyRotation(s, { maxAutoRotatePeriodSeconds: 2592000 })), "pass");
    });

    it("reports the rotation and the exportability problems as separate findings", () => {
        const m = messages(rule(subject(TRANSIT_KEY_TYPE, { ...base, autoRotatePeriod: 0, exportable: true })));
        assert.strictEqual(m.length, 2);
        assert.ok(/autoRotatePeriod/.test(m[0]) && !/exportable/.test(m[0]));
        assert.ok(/exportable/.test(m[1]) && !/autoRotatePeriod/.test(m[1]));
    });

    neverThrows(TRANSIT_KEY_TYPE, ["autoRotatePeriod", "autoRotateInterval", "exportable", "allowPlaintextBackup", "type"], rule,
        (s) => remediateTransitKeyRotation(s, defaults));
});

describe("vault-transit-key-rotation remediation", () => {
    it("sets the maximum when missing, zero or too long, and raises a too-short period to one hour", () => {
        for (const [props, want] of [[{}, 7776000], [{ autoRotatePeriod: 0 }, 7776000], [{ autoRotatePeriod: 99999999 }, 7776000], [{ autoRotatePeriod: 60 }, 3600]] as [WireObject, number][]) {
            const out = remediateTransitKeyRotation(subject(TRANSIT_KEY_TYPE, { ...base, ...props }), defaults)!;
            assert.strictEqual(out.autoRotatePeriod, want);
            assert.strictEqual(out.backend, "transit");
        }
    });

    it("replaces the legacy field, keeps wrappers, and never touches exportable", () => {
        const legacy = remediateTransitKeyRotation(subject(TRANSIT_KEY_TYPE, { ...base, autoRotateInterval: 0, exportable: true }), defaults)!;
        assert.strictEqual(legacy.autoRotateInterval, undefined);
        assert.strictEqual(legacy.autoRotatePeriod, 7776000);
        assert.strictEqual(legacy.exportable, true);
        const wrapped = remediateTransitKeyRotation(subject(TRANSIT_KEY_TYPE, { ...base, autoRotatePeriod: secret(0) }), defaults)!;
        assert.ok(isSecretWrapper(wrapped.autoRotatePeriod));
        assert.strictEqual((wrapped.autoRotatePeriod as WireObject).value, 7776000);
    });

    it("leaves compliant and unknown keys alone", () => {
        assert.strictEqual(remediateTransitKeyRotation(subject(TRANSIT_KEY_TYPE, { ...base, autoRotatePeriod: 86400 }), defaults), undefined);
        assert.strictEqual(remediateTransitKeyRotation(subject(TRANSIT_KEY_TYPE, { ...base, autoRotatePeriod: UNKNOWN_NUMBER }), defaults), undefined);
    });
});
