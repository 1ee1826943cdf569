import * as assert from "assert";
import {
    checkKeyRotation, KEY_TYPE, parseIsoDuration, remediateKeyRotation, remediationExpiry,
} from "../../../policies/rules/azure-keyvault-key-rotation";
import { meta } from "../../../policies/azure-keyvault-key-rotation";
import { defaultsOf } from "../../../policies/lib/config-schema";
import type { AzureKeyRotationConfig } from "../../../policies/rules/azure-keyvault-key-rotation";
import { isSecretWrapper, Wire, WireObject } from "../../../policies/lib/wire";
import { Case, neverThrows, runCases, secret, subject, UNKNOWN_ARRAY, UNKNOWN_OBJECT, UNKNOWN_STRING, verdict } from "../../helpers/rule-cases";

/** The policy's settings at their schema defaults. */
const defaults = defaultsOf<AzureKeyRotationConfig>(meta);
const rule = (s: Parameters<typeof checkKeyRotation>[0]) => checkKeyRotation(s, defaults);
const DAY = 86400;

const rotate = (trigger: WireObject, type: Wire = "rotate"): Wire => ({ action: { type }, trigger });
const key = (rotationPolicy: Wire | undefined, extra: WireObject = {}): WireObject => ({
    resourceGroupName: "rg-ml",
    vaultName: "kv-ml",
    properties: { kty: "RSA", keySize: 2048, ...(rotationPolicy === undefined ? {} : { rotationPolicy }), ...extra },
});

const cases: Case[] = [
    { name: "rotate 90 days after create, expires in a year", props: key({ attributes: { expiryTime: "P1Y" }, lifetimeActions: [rotate({ timeAfterCreate: "P90D" })] }), expect: "pass" },
    { name: "Rotate spelled with a capital", props: key({ attributes: { expiryTime: "P1Y" }, lifetimeActions: [rotate({ timeAfterCreate: "P60D" }, "Rotate")] }), expect: "pass" },
    { name: "rotate via timeBeforeExpiry (P120D - P30D = 90 days)", props: key({ attributes: { expiryTime: "P120D" }, lifetimeActions: [rotate({ timeBeforeExpiry: "P30D" })] }), expect: "pass" },
    { name: "weeks and hours", props: key({ attributes: { expiryTime: "P1Y" }, lifetimeActions: [rotate({ timeAfterCreate: "P12WT12H" })] }), expect: "pass" },
    { name: "notify plus rotate", props: key({ attributes: { expiryTime: "P1Y" }, lifetimeActions: [rotate({ timeBeforeExpiry: "P30D" }, "notify"), rotate({ timeAfterCreate: "P3M" })] }), expect: "pass" },
    { name: "expiry on the key instead of the policy", props: key({ lifetimeActions: [rotate({ timeAfterCreate: "P90D" })] }, { attributes: { expires: 1893456000 } }), expect: "pass" },
    { name: "secret-wrapped rotation policy", props: key(secret({ attributes: { expiryTime: "P1Y" }, lifetimeActions: [rotate({ timeAfterCreate: "P90D" })] })), expect: "pass" },
    { name: "no rotation policy", props: key(undefined), expect: "fail", match: [/Key Vault key 'res'/, /properties\.rotationPolicy is not set/, /timeAfterCreate: "P90D"/] },
    { name: "no properties at all", props: { vaultName: "kv" }, expect: "fail" },
    { name: "rotates too late", props: key({ attributes: { expiryTime: "P2Y" }, lifetimeActions: [rotate({ timeAfterCreate: "P1Y" })] }), expect: "fail", match: [/rotates after 365 days/, /within P90D/] },
    { name: "timeBeforeExpiry too late (P2Y - P30D)", props: key({ attributes: { expiryTime: "P2Y" }, lifetimeActions: [rotate({ timeBeforeExpiry: "P30D" })] }), expect: "fail", match: [/timeBeforeExpiry rotates 700 days after creation/] },
    { name: "timeBeforeExpiry without an expiry", props: key({ lifetimeActions: [rotate({ timeBeforeExpiry: "P30D" })] }), expect: "fail", match: [/needs properties\.rotationPolicy\.attributes\.expiryTime/, /no expiry is set/] },
    { name: "notify only", props: key({ attributes: { expiryTime: "P1Y" }, lifetimeActions: [rotate({ timeBeforeExpiry: "P30D" }, "notify")] }), expect: "fail", match: [/no action of type Rotate/] },
    { name: "empty lifetime actions", props: key({ attributes: { expiryTime: "P1Y" }, lifetimeActions: [] }), expect: "fail", match: [/has no actions/] },
    { name: "lifetime actions as an object", props: key({ attributes: { expiryTime: "P1Y" }, lifetimeActions: { action: { type: "rotate" } } }), expect: "fail" },
    { name: "no expiry anywhere", props: key({ lifetimeActions: [rotate({ timeAfterCreate: "P90D" })] }), expect: "fail", match: [/no expiry is set/], count: 1 },
    { name: "malformed trigger", props: key({ attributes: { expiryTime: "P1Y" }, lifetimeActions: [rotate({ timeAfterCreate: "90 days" })] }), expect: "fail", match: [/not an ISO-8601 duration/] },
    { name: "malformed expiry", props: key({ attributes: { expiryTime: "one year" }, lifetimeActions: [rotate({ timeAfterCreate: "P90D" })] }), expect: "fail", match: [/expiryTime is not an ISO-8601 duration/] },
    { name: "trigger as a number", props: key({ attributes: { expiryTime: "P1Y" }, lifetimeActions: [rotate({ timeAfterCreate: 90 })] }), expect: "fail" },
    { name: "expires as a string", props: key({ lifetimeActions: [rotate({ timeAfterCreate: "P90D" })] }, { attributes: { expires: "next year" } }), expect: "fail", match: [/expires is not a number/] },
    { name: "rotation policy as an array", props: key([] as never), expect: "fail", match: [/not an object/] },
    { name: "rotation policy unknown", props: key(UNKNOWN_OBJECT), expect: "na", match: [/unknown during preview; checked at update/] },
    { name: "properties unknown", props: { properties: UNKNOWN_OBJECT }, expect: "na" },
    { name: "lifetime actions unknown", props: key({ attributes: { expiryTime: "P1Y" }, lifetimeActions: UNKNOWN_ARRAY }), expect: "na" },
    { name: "trigger unknown", props: key({ attributes: { expiryTime: "P1Y" }, lifetimeActions: [rotate({ timeAfterCreate: UNKNOWN_STRING })] }), expect: "na" },
    { name: "action type unknown", props: key({ attributes: { expiryTime: "P1Y" }, lifetimeActions: [rotate({ timeAfterCreate: "P30D" }, UNKNOWN_STRING)] }), expect: "na" },
    { name: "expiry unknown", props: key({ attributes: { expiryTime: UNKNOWN_STRING }, lifetimeActions: [rotate({ timeAfterCreate: "P30D" })] }), expect: "na" },
    { name: "other type", type: "azure-native:keyvault:Secret", props: {}, expect: "na" },
];

describe("azure-keyvault-key-rotation rule", () => {
    runCases("cases", KEY_TYPE, cases, rule);

    it("parses ISO-8601 durations linearly and rejects malformed ones", () => {
        assert.strictEqual(parseIsoDuration("P90D"), 90 * DAY);
        assert.strictEqual(parseIsoDuration("P1Y"), 365 * DAY);
        assert.strictEqual(parseIsoDuration("P3M"), 90 * DAY);
        assert.strictEqual(parseIsoDuration("P2W"), 14 * DAY);
        assert.strictEqual(parseIsoDuration("P1DT12H"), 1.5 * DAY);
        assert.strictEqual(parseIsoDuration("PT36H"), 1.5 * DAY);
        assert.strictEqual(parseIsoDuration("P1Y2M3DT4H5M6S"), 365 * DAY + 60 * DAY + 3 * DAY + 4 * 3600 + 5 * 60 + 6);
        assert.strictEqual(parseIsoDuration("PT0.5S"), 0.5);
        assert.strictEqual(parseIsoDuration("p90d"), 90 * DAY);
        for (const bad of ["", "P", "PT", "90D", "P90", "PD", "P1D1Y", "P1H", "PT1D", "P1DT", "P1.D", "P-1D", "P1D2D", "P1DTT1H", "P 1D", "P1YT1Y", "P" + "1".repeat(70) + "D"]) {
            assert.strictEqual(parseIsoDuration(bad), undefined, `length ${bad.length}`);
        }
    });

    it("parses a hostile 64-character input quickly", () => {
        const t0 = Date.now();
        for (let i = 0; i < 10000; i++) parseIsoDuration("P" + "9".repeat(62) + "X");
        assert.ok(Date.now() - t0 < 2000);
    });

    it("honours the configured maximum and falls back to P90D when it is malformed", () => {
        const s = subject(KEY_TYPE, key({ attributes: { expiryTime: "P2Y" }, lifetimeActions: [rotate({ timeAfterCreate: "P180D" })] }));
        assert.strictEqual(verdict(checkKeyRotation(s, { maxRotationInterval: "P6M" })), "pass");
        assert.strictEqual(verdict(checkKeyRotation(s, { maxRotationInterval: "P179D" })), "fail");
        assert.strictEqual(verdict(checkKeyRotation(s, { maxRotationInterval: "garbage" })), "fail");
    });

    neverThrows(KEY_TYPE, ["properties", "rotationPolicy", "lifetimeActions", "attributes", "expiryTime", "expires", "action", "trigger", "type", "timeAfterCreate", "timeBeforeExpiry"],
        rule, (s) => remediateKeyRotation(s, defaults));
});

describe("azure-keyvault-key-rotation remediation", () => {
    it("adds a compliant rotation policy when the key has none, keeping other properties", () => {
        const out = remediateKeyRotation(subject(KEY_TYPE, key(undefined)), defaults)!;
        assert.ok(out);
        const props = out.properties as WireObject;
        assert.strictEqual(props.kty, "RSA");
        assert.strictEqual(out.vaultName, "kv-ml");
        assert.deepStrictEqual(props.rotationPolicy, {
            attributes: { expiryTime: "P1Y" },
            lifetimeActions: [{ action: { type: "rotate" }, trigger: { timeAfterCreate: "P90D" } }],
        });
        assert.strictEqual(verdict(checkKeyRotation(subject(KEY_TYPE, out), defaults)), "pass");
    });

    it("keeps a secret wrapper on properties, and creates properties when absent", () => {
        const wrapped = remediateKeyRotation(subject(KEY_TYPE, { properties: secret({ kty: "EC" }) }), defaults)!;
        assert.ok(isSecretWrapper(wrapped.properties));
        const none = remediateKeyRotation(subject(KEY_TYPE, {}), { maxRotationInterval: "P1Y" })!;
        assert.strictEqual(verdict(checkKeyRotation(subject(KEY_TYPE, none), { maxRotationInterval: "P1Y" })), "pass");
    });

    it("picks an expiry at least 28 days after rotation", () => {
        assert.strictEqual(remediationExpiry(90 * DAY), "P1Y");
        assert.strictEqual(remediationExpiry(365 * DAY), "P393D");
    });

    it("leaves keys with a rotation policy (even a bad one) or unknown properties alone", () => {
        assert.strictEqual(remediateKeyRotation(subject(KEY_TYPE, key({ lifetimeActions: [] })), defaults), undefined);
        assert.strictEqual(remediateKeyRotation(subject(KEY_TYPE, { properties: UNKNOWN_OBJECT }), defaults), undefined);
        assert.strictEqual(remediateKeyRotation(subject(KEY_TYPE, { properties: "text" as Wire } as WireObject), defaults), undefined);
    });
});
