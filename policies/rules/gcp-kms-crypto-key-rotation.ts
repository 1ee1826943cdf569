// gcp-kms-crypto-key-rotation, the pure logic (CIS GCP 1.10): symmetric encryption Cloud KMS keys
// (`purpose` ENCRYPT_DECRYPT, the default) must rotate automatically, at least every configured maximum period.
import { findings, notApplicable, Outcome, ResourceSubject } from "../lib/rule";
import { numberSetting } from "../lib/settings";
import { isSecretWrapper, readString, Wire, WireObject } from "../lib/wire";

export const CRYPTO_KEY_TYPE = "gcp:kms/cryptoKey:CryptoKey";
/** Cloud KMS rejects rotation periods shorter than one day. */
export const MIN_ROTATION_SECONDS = 86400;
export const DEFAULT_MAX_ROTATION_SECONDS = 7776000;

export interface GcpKeyRotationConfig {
    /** Longest allowed rotation period, in seconds. */
    maxRotationPeriodSeconds: number;
}

/** Purposes Cloud KMS cannot rotate automatically (asymmetric, MAC, raw). */
const NOT_ROTATABLE_PURPOSES = new Set(["ASYMMETRIC_SIGN", "ASYMMETRIC_DECRYPT", "MAC", "RAW_ENCRYPT_DECRYPT"]);

/** The setting `maxRotationPeriodSeconds`: its default and bounds (the schema in policies/gcp-kms-crypto-key-rotation.ts uses these). */
export const MAX_ROTATION_SETTING = { default: DEFAULT_MAX_ROTATION_SECONDS, minimum: MIN_ROTATION_SECONDS };

function effectiveMax(config: GcpKeyRotationConfig): number {
    return numberSetting(config?.maxRotationPeriodSeconds, MAX_ROTATION_SETTING);
}

/**
 * Parses a protobuf Duration string as Cloud KMS takes it: digits, an optional fraction of up to 9 digits, and
 * `s`. A linear scan, no regular expression. Returns seconds, or undefined when the string is malformed.
 */
export function parseDurationSeconds(s: string): number | undefined {
    if (typeof s !== "string" || s.length < 2 || s.length > 32 || s[s.length - 1] !== "s") return undefined;
    const body = s.slice(0, -1);
    let i = 0;
    let intDigits = 0;
    while (i < body.length && body[i] >= "0" && body[i] <= "9") {
        i++;
        intDigits++;
    }
    if (intDigits === 0) return undefined;
    if (i < body.length) {
        if (body[i] !== ".") return undefined;
        i++;
        let frac = 0;
        while (i < body.length && body[i] >= "0" && body[i] <= "9") {
            i++;
            frac++;
        }
        if (frac === 0 || frac > 9 || i !== body.length) return undefined;
    }
    const n = Number(body);
    return Number.isFinite(n) ? n : undefined;
}

function classify(subject: ResourceSubject): string | undefined {
    if (subject.type !== CRYPTO_KEY_TYPE) return `applies only to ${CRYPTO_KEY_TYPE}`;
    const purpose = readString(subject.props, ["purpose"]);
    if (purpose.kind === "unknown") return `purpose of crypto key '${subject.name}' is unknown during preview; checked at update`;
    if (purpose.kind === "known" && NOT_ROTATABLE_PURPOSES.has(purpose.value.toUpperCase())) {
        return `crypto key '${subject.name}' has purpose ${purpose.value.toUpperCase()}: Cloud KMS cannot rotate it automatically`;
    }
    if (purpose.kind === "known" && purpose.value !== "" && purpose.value.toUpperCase() !== "ENCRYPT_DECRYPT") {
        return `crypto key '${subject.name}' is not a symmetric encryption key: Cloud KMS rotates only ENCRYPT_DECRYPT keys automatically`;
    }
    const level = readString(subject.props, ["versionTemplate", "protectionLevel"]);
    if (level.kind === "unknown") return `versionTemplate.protectionLevel of crypto key '${subject.name}' is unknown during preview; checked at update`;
    if (level.kind === "known" && level.value.toUpperCase() === "EXTERNAL") {
        return `crypto key '${subject.name}' is an external (Cloud EKM, manual) key: Cloud KMS cannot rotate it automatically`;
    }
    return undefined;
}

type PeriodState =
    | { kind: "ok" }
    | { kind: "unknown" }
    | { kind: "problem"; problem: string; fixable: boolean };

function periodState(subject: ResourceSubject, max: number): PeriodState {
    const period = readString(subject.props, ["rotationPeriod"]);
    if (period.kind === "unknown") return { kind: "unknown" };
    if (period.kind === "absent" || (period.kind === "known" && period.value === "")) {
        return { kind: "problem", problem: "rotationPeriod is not set, so the key never rotates", fixable: true };
    }
    if (period.kind === "invalid") {
        return { kind: "problem", problem: "rotationPeriod is not a duration string such as \"7776000s\"", fixable: true };
    }
    const seconds = parseDurationSeconds(period.value);
    if (seconds === undefined) {
        return { kind: "problem", problem: "rotationPeriod is malformed: it must be a number of seconds followed by 's', such as \"7776000s\"", fixable: true };
    }
    if (seconds < MIN_ROTATION_SECONDS) {
        return { kind: "problem", problem: `rotationPeriod is ${seconds}s, shorter than the ${MIN_ROTATION_SECONDS}s (one day) Cloud KMS accepts`, fixable: false };
    }
    if (seconds > max) {
        return { kind: "problem", problem: `rotationPeriod is ${seconds}s, longer than the allowed ${max}s`, fixable: true };
    }
    return { kind: "ok" };
}

export function checkCryptoKeyRotation(subject: ResourceSubject, config: GcpKeyRotationConfig): Outcome {
    const na = classify(subject);
    if (na) return notApplicable(na);
    const max = effectiveMax(config);
    const s = periodState(subject, max);
    if (s.kind === "unknown") return notApplicable(`rotationPeriod of crypto key '${subject.name}' is unknown during preview; checked at update`);
    if (s.kind === "ok") return findings();
    return findings({
        message: `Cloud KMS crypto key '${subject.name}' does not rotate as required: ${s.problem}. ` +
            `Set rotationPeriod to between "${MIN_ROTATION_SECONDS}s" and "${max}s" (CIS GCP 1.10).`,
    });
}

/** Sets rotationPeriod to the maximum when it is missing, malformed or too long. */
export function remediateCryptoKeyRotation(subject: ResourceSubject, config: GcpKeyRotationConfig): WireObject | undefined {
    if (classify(subject)) return undefined;
    const max = effectiveMax(config);
    const s = periodState(subject, max);
    if (s.kind !== "problem" || !s.fixable) return undefined;
    const old = subject.props.rotationPeriod;
    const value: Wire = `${max}s`;
    return { ...subject.props, rotationPeriod: isSecretWrapper(old) ? { ...(old as WireObject), value } : value };
}
