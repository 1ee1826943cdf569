// vault-transit-key-rotation, the pure logic: a Vault transit key must rotate automatically (`autoRotatePeriod`,
// seconds, between one hour and the configured maximum), and must not be made exportable or plaintext-backup-able,
// since Vault never lets either be turned off again.
import { Finding, findings, notApplicable, Outcome, ResourceSubject } from "../lib/rule";
import { numberSetting } from "../lib/settings";
import { isSecretWrapper, read, readBool, readNumber, Wire, WireObject } from "../lib/wire";

export const TRANSIT_KEY_TYPE = "vault:transit/secretBackendKey:SecretBackendKey";
/** Vault rejects auto-rotate periods shorter than one hour. */
export const MIN_AUTO_ROTATE_SECONDS = 3600;
export const DEFAULT_MAX_AUTO_ROTATE_SECONDS = 7776000;

export interface VaultTransitRotationConfig {
    /** Longest allowed auto-rotate period, in seconds. */
    maxAutoRotatePeriodSeconds: number;
}

const UNIT_SECONDS: Record<string, number> = { d: 86400, h: 3600, m: 60, s: 1 };

/** Parses the duration strings Vault accepts for periods ("24h", "1h30m", "3600s", "30d"), linearly. */
export function parseVaultDuration(input: string): number | undefined {
    if (typeof input !== "string") return undefined;
    const s = input.trim();
    if (s.length === 0 || s.length > 32) return undefined;
    let i = 0;
    let total = 0;
    while (i < s.length) {
        const start = i;
        while (i < s.length && s[i] >= "0" && s[i] <= "9") i++;
        if (i === start) return undefined;
        const n = Number(s.slice(start, i));
        if (i === s.length) return start === 0 ? n : undefined; // a bare number is seconds
        const unit = UNIT_SECONDS[s[i]];
        if (unit === undefined) return undefined;
        i++;
        total += n * unit;
    }
    return Number.isFinite(total) ? total : undefined;
}

/** The setting `maxAutoRotatePeriodSeconds`: its default and bounds (the schema in policies/vault-transit-key-rotation.ts uses these). */
export const MAX_AUTO_ROTATE_SETTING = { default: DEFAULT_MAX_AUTO_ROTATE_SECONDS, minimum: MIN_AUTO_ROTATE_SECONDS };

function effectiveMax(config: VaultTransitRotationConfig): number {
    return numberSetting(config?.maxAutoRotatePeriodSeconds, MAX_AUTO_ROTATE_SETTING);
}

type Period = { kind: "absent" } | { kind: "unknown"; field: string } | { kind: "invalid"; field: string } | { kind: "known"; field: string; seconds: number };

/** The auto-rotate period in seconds: `autoRotatePeriod`, or the legacy `autoRotateInterval`. */
export function autoRotatePeriod(props: WireObject): Period {
    for (const field of ["autoRotatePeriod", "autoRotateInterval"]) {
        const n = readNumber(props, [field]);
        if (n.kind === "absent") continue;
        if (n.kind === "unknown") return { kind: "unknown", field };
        if (n.kind === "known") return { kind: "known", field, seconds: n.value };
        const raw = read(props, [field]);
        const parsed = raw.kind === "known" && typeof raw.value === "string" ? parseVaultDuration(raw.value) : undefined;
        return parsed === undefined ? { kind: "invalid", field } : { kind: "known", field, seconds: parsed };
    }
    return { kind: "absent" };
}

export function checkTransitKeyRotation(subject: ResourceSubject, config: VaultTransitRotationConfig): Outcome {
    if (subject.type !== TRANSIT_KEY_TYPE) return notApplicable(`applies only to ${TRANSIT_KEY_TYPE}`);
    const max = effectiveMax(config);
    const out: Finding[] = [];
    const unknown: string[] = [];
    const p = autoRotatePeriod(subject.props);
    let problem: string | undefined;
    if (p.kind === "unknown") unknown.push(p.field);
    else if (p.kind === "absent") problem = "autoRotatePeriod is not set, so the key never rotates";
    else if (p.kind === "invalid") problem = `${p.field} is not a number of seconds`;
    else if (p.seconds === 0) problem = `${p.field} is 0, which turns automatic rotation off`;
    else if (p.seconds < MIN_AUTO_ROTATE_SECONDS) problem = `${p.field} is ${p.seconds} seconds, less than the one hour (${MIN_AUTO_ROTATE_SECONDS}) Vault accepts`;
    else if (p.seconds > max) problem = `${p.field} is ${p.seconds} seconds, more than the allowed ${max}`;
    if (problem) {
        out.push({
            message: `Vault transit key '${subject.name}' does not rotate as required: ${problem}. ` +
                `Set autoRotatePeriod to between ${MIN_AUTO_ROTATE_SECONDS} and ${max} seconds.`,
        });
    }
    const irreversible: string[] = [];
    for (const field of ["exportable", "allowPlaintextBackup"]) {
        const b = readBool(subject.props, [field]);
        if (b.kind === "unknown") unknown.push(field);
        else if (b.kind === "known" && b.value === true) irreversible.push(field);
    }
    if (irreversible.length) {
        out.push({
            message: `Vault transit key '${subject.name}' sets ${irreversible.map((f) => `${f}: true`).join(" and ")}: ` +
                "the key material can then leave Vault, and Vault never allows turning this off again. " +
                `Remove ${irreversible.join(" and ")} (a key that already has it must be replaced by a new key).`,
        });
    }
    if (out.length) return findings(...out);
    if (unknown.length) return notApplicable(`${unknown.join(" and ")} of Vault transit key '${subject.name}' is unknown during preview; checked at update`);
    return findings();
}

/** Sets autoRotatePeriod within bounds (the maximum when missing, 0 or too long); leaves exportable alone. */
export function remediateTransitKeyRotation(subject: ResourceSubject, config: VaultTransitRotationConfig): WireObject | undefined {
    if (subject.type !== TRANSIT_KEY_TYPE) return undefined;
    const max = effectiveMax(config);
    const p = autoRotatePeriod(subject.props);
    let target: number | undefined;
    if (p.kind === "absent" || p.kind === "invalid") target = max;
    else if (p.kind === "known") {
        if (p.seconds === 0 || p.seconds > max) target = max;
        else if (p.seconds < MIN_AUTO_ROTATE_SECONDS) target = MIN_AUTO_ROTATE_SECONDS;
    }
    if (target === undefined) return undefined;
    const old: Wire | undefined = p.kind === "absent" || p.kind === "unknown" ? undefined : subject.props[p.field];
    const out: WireObject = { ...subject.props };
    delete out.autoRotateInterval;
    out.autoRotatePeriod = isSecretWrapper(old) ? { ...(old as WireObject), value: target } : target;
    return out;
}
