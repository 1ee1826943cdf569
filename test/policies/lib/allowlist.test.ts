import * as assert from "assert";
import {
    describeEntry, expiredMessage, isExpired, isIsoDate, matchesEntry, splitAllowlist, todayUtc,
} from "../../../policies/lib/allowlist";
import { meta } from "../../../policies/no-hardcoded-secrets";
import { isAllowed } from "../../../policies/rules/no-hardcoded-secrets";

describe("policies/lib/allowlist: expiring allowlist entries", () => {
    const today = "2026-12-02";

    it("an entry applies before its expires date and stops applying on it", () => {
        assert.strictEqual(isExpired({ urn: "*", expires: "2026-12-03" }, today), false);
        assert.strictEqual(isExpired({ urn: "*", expires: "2026-12-02" }, today), true);
        assert.strictEqual(isExpired({ urn: "*", expires: "2025-01-31" }, today), true);
        assert.strictEqual(isExpired({ urn: "*" }, today), false);
    });

    it("an expires value that is not a calendar date never applies", () => {
        for (const bad of ["2026-02-30", "2026-13-01", "tomorrow", "2026-1-1", ""]) {
            assert.strictEqual(isIsoDate(bad), false, bad);
            assert.strictEqual(isExpired({ expires: bad }, today), true, bad);
        }
        assert.strictEqual(isIsoDate("2024-02-29"), true);
    });

    it("splits a list into active and expired entries, keeping order", () => {
        const a = { urn: "a*", expires: "2027-01-01" };
        const b = { urn: "b*", expires: "2026-01-01" };
        const c = { path: "token" };
        assert.deepStrictEqual(splitAllowlist([a, b, c], today), { active: [a, c], expired: [b] });
    });

    it("matches URN and path globs; the rule's isAllowed uses the same matcher", () => {
        const e = { urn: "urn:pulumi:dev::p::vault:*::ci", path: "dataJson{json}.*" };
        assert.ok(matchesEntry(e, "urn:pulumi:dev::p::vault:kv/secretV2:SecretV2::ci", "dataJson{json}.github_token"));
        assert.ok(!matchesEntry(e, "urn:pulumi:dev::p::vault:kv/secretV2:SecretV2::cd", "dataJson{json}.github_token"));
        assert.ok(!matchesEntry(e, "urn:pulumi:dev::p::vault:kv/secretV2:SecretV2::ci", "token"));
        assert.ok(isAllowed([e], "urn:pulumi:dev::p::vault:kv/secretV2:SecretV2::ci", "dataJson{json}.x"));
        assert.ok(!isAllowed([], "urn:pulumi:dev::p::vault:kv/secretV2:SecretV2::ci", "dataJson{json}.x"));
    });

    it("names the entry (position and globs) in the advisory, never a reason or value", () => {
        const e = { urn: "urn:*::ci", path: "token", reason: "rotating next sprint", expires: "2026-11-30" };
        assert.strictEqual(describeEntry("no-hardcoded-secrets", 2, e), 'no-hardcoded-secrets allowlist[2] (urn "urn:*::ci", path "token")');
        const m = expiredMessage("no-hardcoded-secrets", 2, e, today);
        assert.match(m, /allowlist\[2\] .* expired on 2026-11-30 \(today is 2026-12-02\) and no longer applies/);
        assert.ok(!m.includes("rotating"));
        assert.match(expiredMessage("no-hardcoded-secrets", 0, { expires: "2026-02-30" }, today), /not a date/);
    });

    it("today is the UTC date", () => {
        assert.strictEqual(todayUtc(new Date("2026-12-01T23:59:59-05:00")), "2026-12-02");
        // Without a date: the clock's UTC day (remembered for the day; read twice in case the day turns in between).
        const before = new Date().toISOString().slice(0, 10);
        const got = todayUtc();
        assert.ok(got === before || got === new Date().toISOString().slice(0, 10), got);
    });

    it("the policy's config schema accepts expires on an entry", () => {
        const items = (meta.configSchema!.properties.allowlist as { items: { properties: Record<string, unknown> } }).items;
        assert.ok("expires" in items.properties);
    });
});
