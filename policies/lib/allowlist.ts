// Allowlist entries of the pack's policy config (today: no-hardcoded-secrets `allowlist`), with an optional expiry
// date. Pure: the caller passes today's date, so rules and tests never read the clock.
//
// An entry with `expires: "2026-06-30"` applies up to and including 2026-06-29 (UTC) and stops applying on the
// date itself: from then on the finding it accepted is reported again, and the pack says the entry expired in an
// advisory finding that names it. An entry whose `expires` is not a real calendar date never applies (and is
// reported the same way), so a typo cannot silently extend an exception.

export interface AllowEntry {
    /** URN glob: `*` matches any run of characters. Omitted: any resource. */
    urn?: string;
    /** Property path glob as messages print it (`dataJson{json}.api_key`). Omitted: any property. */
    path?: string;
    reason?: string;
    /** ISO date `YYYY-MM-DD` (UTC) on which the entry stops applying. Omitted: never expires. */
    expires?: string;
}

/** JSON-schema pattern of `expires` (the calendar check is isIsoDate). */
export const EXPIRES_PATTERN = "^\\d{4}-\\d{2}-\\d{2}$";

const DAY_MS = 24 * 60 * 60 * 1000;
/** The current UTC day, and the clock readings it covers: every resource asks, and formatting a date is not free. */
let today: { day: string; from: number; until: number } | undefined;

/** Today's date as `YYYY-MM-DD` in UTC (the one place the pack reads the clock for allowlists). */
export function todayUtc(now?: Date): string {
    if (now !== undefined) return now.toISOString().slice(0, 10);
    const t = Date.now();
    if (today === undefined || t < today.from || t >= today.until) {
        const from = t - (t % DAY_MS);
        today = { day: new Date(from).toISOString().slice(0, 10), from, until: from + DAY_MS };
    }
    return today.day;
}

/** A real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(s: string): boolean {
    if (!new RegExp(EXPIRES_PATTERN).test(s)) return false;
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Whether an entry has stopped applying on `today`: expired, or with an `expires` that is not a date. */
export function isExpired(entry: AllowEntry, today: string): boolean {
    if (entry.expires === undefined) return false;
    return !isIsoDate(entry.expires) || entry.expires <= today;
}

/** The entries that still apply on `today`, and the ones that stopped applying. */
export function splitAllowlist(list: readonly AllowEntry[], today: string): { active: AllowEntry[]; expired: AllowEntry[] } {
    const active: AllowEntry[] = [];
    const expired: AllowEntry[] = [];
    for (const e of list) (isExpired(e, today) ? expired : active).push(e);
    return { active, expired };
}

function globToRegExp(glob: string): RegExp {
    const body = glob.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join("[\\s\\S]*");
    return new RegExp(`^${body}$`);
}

/** Whether an entry that still applies accepts the finding at `urn` and property `path`. */
export function matchesEntry(entry: AllowEntry, urn: string, path: string): boolean {
    return (!entry.urn || globToRegExp(entry.urn).test(urn)) && (!entry.path || globToRegExp(entry.path).test(path));
}

/** How an advisory finding names an entry: its position and its urn/path globs (never a value). */
export function describeEntry(policy: string, index: number, entry: AllowEntry): string {
    const parts = [
        entry.urn !== undefined ? `urn ${JSON.stringify(entry.urn.slice(0, 200))}` : "",
        entry.path !== undefined ? `path ${JSON.stringify(entry.path.slice(0, 200))}` : "",
    ].filter(Boolean);
    return `${policy} allowlist[${index}]${parts.length ? ` (${parts.join(", ")})` : ""}`;
}

/** The advisory message for an entry that stopped applying. */
export function expiredMessage(policy: string, index: number, entry: AllowEntry, today: string): string {
    const what = describeEntry(policy, index, entry);
    if (entry.expires !== undefined && !isIsoDate(entry.expires)) {
        return `${what} has an expires value that is not a date (YYYY-MM-DD), so it does not apply. Fix the date or remove the entry.`;
    }
    return `${what} expired on ${entry.expires} (today is ${today}) and no longer applies: the findings it accepted are ` +
        "reported again. Fix them, or renew the entry with a new expires date and a reason.";
}
