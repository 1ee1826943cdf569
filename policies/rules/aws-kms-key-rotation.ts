// aws-kms-key-rotation, the pure logic (CIS AWS Foundations 3.6): customer-managed symmetric encryption KMS keys
// must rotate automatically, within the configured period. Keys that AWS cannot rotate automatically are not
// applicable: asymmetric and HMAC keys, keys with imported material (origin EXTERNAL), and keys in a custom key
// store (CloudHSM or external key store), as the KMS EnableKeyRotation reference says.
import { findings, notApplicable, Outcome, ResourceSubject } from "../lib/rule";
import { numberSetting } from "../lib/settings";
import { isSecretWrapper, readBool, readNumber, readString, Wire, WireObject } from "../lib/wire";

export const KEY_TYPE = "aws:kms/key:Key";
/**
 * Key types that never rotate automatically (imported material, replicas follow their primary): out of scope, like
 * every type but KEY_TYPE. Only KEY_TYPE is matched, so @pulumi/policy answers "not applicable" for the others without
 * calling the policy (see makeResourceValidation in lib/adapter.ts); the policy's description names these.
 */
export const NOT_ROTATABLE_TYPES = [
    "aws:kms/externalKey:ExternalKey",
    "aws:kms/replicaKey:ReplicaKey",
    "aws:kms/replicaExternalKey:ReplicaExternalKey",
];

/** AWS's bounds for RotationPeriodInDays, and the period used when it is unset. */
export const MIN_ROTATION_DAYS = 90;
export const MAX_ROTATION_DAYS = 2560;
export const DEFAULT_ROTATION_DAYS = 365;

export interface KmsKeyRotationConfig {
    /** The longest rotation period allowed, in days (90-2560). */
    maxRotationPeriodInDays: number;
}

const ROTATABLE_SPECS = new Set(["SYMMETRIC_DEFAULT"]);
const NOT_ROTATABLE_USAGES = new Set(["GENERATE_VERIFY_MAC", "SIGN_VERIFY", "KEY_AGREEMENT"]);
const NOT_ROTATABLE_ORIGINS = new Set(["EXTERNAL", "EXTERNAL_KEY_STORE", "AWS_CLOUDHSM"]);

/** The setting `maxRotationPeriodInDays`: its default and bounds (the schema in policies/aws-kms-key-rotation.ts uses these). */
export const MAX_ROTATION_SETTING = { default: DEFAULT_ROTATION_DAYS, minimum: MIN_ROTATION_DAYS, maximum: MAX_ROTATION_DAYS, integer: true };

function effectiveMax(config: KmsKeyRotationConfig): number {
    return numberSetting(config?.maxRotationPeriodInDays, MAX_ROTATION_SETTING);
}

/** Whether the key is one AWS can rotate automatically: "yes", a reason it is not, or an unknown property. */
export function classify(subject: ResourceSubject): { kind: "rotatable" } | { kind: "notApplicable"; reason: string } {
    if (subject.type !== KEY_TYPE) return { kind: "notApplicable", reason: `applies only to ${KEY_TYPE}` };
    const props = subject.props;
    const unknownReason = (p: string) => ({ kind: "notApplicable" as const, reason: `${p} of KMS key '${subject.name}' is unknown during preview; checked at update` });
    for (const p of ["customKeyStoreId", "xksKeyId"]) {
        const r = readString(props, [p]);
        if (r.kind === "unknown") return unknownReason(p);
        if (r.kind === "known" && r.value !== "") {
            return { kind: "notApplicable", reason: `KMS key '${subject.name}' is in a custom key store (${p} is set): AWS cannot rotate such keys automatically` };
        }
    }
    const origin = readString(props, ["origin"]);
    if (origin.kind === "unknown") return unknownReason("origin");
    if (origin.kind === "known" && NOT_ROTATABLE_ORIGINS.has(origin.value.toUpperCase())) {
        return { kind: "notApplicable", reason: `KMS key '${subject.name}' has origin ${origin.value.toUpperCase()}: AWS cannot rotate it automatically` };
    }
    for (const p of ["customerMasterKeySpec", "keySpec"]) {
        const r = readString(props, [p]);
        if (r.kind === "unknown") return unknownReason(p);
        if (r.kind === "known" && r.value !== "" && !ROTATABLE_SPECS.has(r.value.toUpperCase())) {
            return { kind: "notApplicable", reason: `KMS key '${subject.name}' is not a symmetric encryption key (${p} is not SYMMETRIC_DEFAULT): AWS cannot rotate it automatically` };
        }
    }
    const usage = readString(props, ["keyUsage"]);
    if (usage.kind === "unknown") return unknownReason("keyUsage");
    if (usage.kind === "known" && NOT_ROTATABLE_USAGES.has(usage.value.toUpperCase())) {
        return { kind: "notApplicable", reason: `KMS key '${subject.name}' has keyUsage ${usage.value.toUpperCase()}: AWS cannot rotate it automatically` };
    }
    return { kind: "rotatable" };
}

export function checkKmsKeyRotation(subject: ResourceSubject, config: KmsKeyRotationConfig): Outcome {
    const c = classify(subject);
    if (c.kind === "notApplicable") return notApplicable(c.reason);
    const max = effectiveMax(config);
    const problems: string[] = [];
    const unknown: string[] = [];
    const enabled = readBool(subject.props, ["enableKeyRotation"]);
    if (enabled.kind === "unknown") unknown.push("enableKeyRotation");
    else if (enabled.kind === "absent") problems.push("enableKeyRotation is not set (AWS leaves rotation off)");
    else if (enabled.kind === "invalid") problems.push("enableKeyRotation is not a boolean");
    else if (enabled.value !== true) problems.push("enableKeyRotation is false");
    const period = readNumber(subject.props, ["rotationPeriodInDays"]);
    if (period.kind === "unknown") unknown.push("rotationPeriodInDays");
    else if (period.kind === "invalid") problems.push("rotationPeriodInDays is not a number");
    else if (period.kind === "absent") {
        if (DEFAULT_ROTATION_DAYS > max) problems.push(`rotationPeriodInDays is not set, so AWS rotates every ${DEFAULT_ROTATION_DAYS} days, more than the allowed ${max}`);
    } else if (!Number.isInteger(period.value) || period.value < MIN_ROTATION_DAYS || period.value > MAX_ROTATION_DAYS) {
        problems.push(`rotationPeriodInDays is ${period.value}, outside AWS's range of ${MIN_ROTATION_DAYS}-${MAX_ROTATION_DAYS} whole days`);
    } else if (period.value > max) {
        problems.push(`rotationPeriodInDays is ${period.value}, more than the allowed ${max} days`);
    }
    if (problems.length) {
        return findings({
            message: `KMS key '${subject.name}' does not rotate as required: ${problems.join("; ")}. ` +
                `Set enableKeyRotation: true and rotationPeriodInDays between ${MIN_ROTATION_DAYS} and ${max} (CIS AWS 3.6).`,
        });
    }
    if (unknown.length) return notApplicable(`${unknown.join(" and ")} of KMS key '${subject.name}' is unknown during preview; checked at update`);
    return findings();
}

/** Replaces a value and keeps the secret wrapper it had, if any. */
function replaceKeepingWrapper(old: Wire | undefined, value: Wire): Wire {
    if (isSecretWrapper(old)) return { ...(old as WireObject), value: replaceKeepingWrapper((old as WireObject).value, value) };
    return value;
}

/** Turns rotation on and brings the period within bounds; undefined when nothing needs to (or can safely) change. */
export function remediateKmsKeyRotation(subject: ResourceSubject, config: KmsKeyRotationConfig): WireObject | undefined {
    if (classify(subject).kind !== "rotatable") return undefined;
    const max = effectiveMax(config);
    const props = subject.props;
    const out: WireObject = { ...props };
    let changed = false;
    const enabled = readBool(props, ["enableKeyRotation"]);
    if (enabled.kind !== "unknown" && !(enabled.kind === "known" && enabled.value === true)) {
        out.enableKeyRotation = replaceKeepingWrapper(props.enableKeyRotation, true);
        changed = true;
    }
    const period = readNumber(props, ["rotationPeriodInDays"]);
    if (period.kind === "known") {
        const clamped = Math.min(max, Math.max(MIN_ROTATION_DAYS, Math.round(period.value)));
        if (clamped !== period.value) {
            out.rotationPeriodInDays = replaceKeepingWrapper(props.rotationPeriodInDays, clamped);
            changed = true;
        }
    } else if (period.kind === "invalid" || (period.kind === "absent" && DEFAULT_ROTATION_DAYS > max)) {
        out.rotationPeriodInDays = replaceKeepingWrapper(props.rotationPeriodInDays, max);
        changed = true;
    }
    return changed ? out : undefined;
}
