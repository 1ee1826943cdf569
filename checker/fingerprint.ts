// Stable identity of a finding, for baselines and SARIF partialFingerprints. Built from the policy, the URN and
// the property path (for findings about a resource property) or the export name (for stack exports); never from
// the message, which holds (redacted) secret material and may differ between preview and update.
import * as crypto from "crypto";
import { describeResource, stackUrn } from "./format/common";
import { exportNameOf, propertyPathOf } from "./location";
import { CheckReport, Diagnostic } from "./types";

/** Bumped when the fingerprint's inputs change (old baselines then list everything as new). */
export const FINGERPRINT_VERSION = 1;

/** What a finding is about within its resource: `property:<path>`, `export:<name>`, or "" when the message names neither. */
export function findingSubject(report: CheckReport, d: Diagnostic): string {
    if (d.urn) {
        const r = describeResource(report, d.urn);
        const p = propertyPathOf(d.message, r.type, r.name);
        if (p) return `property:${JSON.stringify(p)}`;
    }
    const e = exportNameOf(d.message);
    return e !== undefined ? `export:${e}` : "";
}

export function fingerprintOf(policyName: string, urn: string, subject: string, occurrence = 0): string {
    const h = crypto.createHash("sha256");
    h.update(`ml-secrets-guard/v${FINGERPRINT_VERSION}\u0000${policyName}\u0000${urn}\u0000${subject}`);
    if (occurrence > 0) h.update(`\u0000#${occurrence}`);
    return h.digest("hex").slice(0, 32);
}

/**
 * Sets `fingerprint` on every diagnostic. Two findings of one policy on one subject (a policy reporting twice on a
 * resource without naming a property) are told apart by their order in the report, which follows the pack's.
 */
export function assignFingerprints(report: CheckReport): void {
    const root = stackUrn(report);
    const seen = new Map<string, number>();
    for (const d of report.diagnostics) {
        const urn = d.urn || root;
        const subject = findingSubject(report, d);
        const key = `${d.policyName}\u0000${urn}\u0000${subject}`;
        const n = seen.get(key) ?? 0;
        seen.set(key, n + 1);
        d.fingerprint = fingerprintOf(d.policyName, urn, subject, n);
    }
}
