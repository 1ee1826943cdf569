// azure-keyvault-key-rotation, the pure logic (CIS Microsoft Azure Foundations, Key Vault): an Azure Key Vault key
// must rotate automatically: `properties.rotationPolicy` with a lifetime action of type Rotate that fires no later
// than the configured maximum after creation, and an expiry (`rotationPolicy.attributes.expiryTime` for new
// versions, or the key's `properties.attributes.expires`).
import { findings, notApplicable, Outcome, ResourceSubject } from "../lib/rule";
import { isPlainObject, isSecretWrapper, read, readNumber, readString, unwrapSecret, Wire, WireObject } from "../lib/wire";

export const KEY_TYPE = "azure-native:keyvault:Key";
export const DEFAULT_MAX_ROTATION_INTERVAL = "P90D";

export interface AzureKeyRotationConfig {
    /** ISO-8601 duration: the longest time from a key version's creation to its rotation. */
    maxRotationInterval: string;
}

const DAY = 86400;
/** Nominal lengths used to compare durations: a year is 365 days, a month 30 days, a week 7 days. */
const DATE_UNITS: Record<string, number> = { Y: 365 * DAY, M: 30 * DAY, W: 7 * DAY, D: DAY };
const TIME_UNITS: Record<string, number> = { H: 3600, M: 60, S: 1 };
const DATE_ORDER = "YMWD";
const TIME_ORDER = "HMS";

/**
 * Parses an ISO-8601 duration (PnYnMnWnDTnHnMnS, PnW) into nominal seconds with a single linear scan (no regular
 * expression, so no backtracking). Components must appear in order, at most once; a fraction (`.` or `,`) is
 * allowed. Returns undefined for anything malformed, negative, or absurdly long.
 */
export function parseIsoDuration(input: string): number | undefined {
    if (typeof input !== "string" || input.length < 3 || input.length > 64) return undefined;
    const s = input.toUpperCase();
    if (s[0] !== "P") return undefined;
    let i = 1;
    let inTime = false;
    let lastDate = -1;
    let lastTime = -1;
    let components = 0;
    let timeComponents = 0;
    let total = 0;
    while (i < s.length) {
        if (s[i] === "T") {
            if (inTime) return undefined;
            inTime = true;
            i++;
            continue;
        }
        const start = i;
        while (i < s.length && s[i] >= "0" && s[i] <= "9") i++;
        if (i === start) return undefined;
        let numText = s.slice(start, i);
        if (i < s.length && (s[i] === "." || s[i] === ",")) {
            i++;
            const fStart = i;
            while (i < s.length && s[i] >= "0" && s[i] <= "9") i++;
            if (i === fStart) return undefined;
            numText += "." + s.slice(fStart, i);
        }
        if (i >= s.length) return undefined;
        const unit = s[i];
        i++;
        const order = inTime ? TIME_ORDER.indexOf(unit) : DATE_ORDER.indexOf(unit);
        if (order < 0) return undefined;
        if (inTime) {
            if (order <= lastTime) return undefined;
            lastTime = order;
            timeComponents++;
            total += Number(numText) * TIME_UNITS[unit];
        } else {
            if (order <= lastDate) return undefined;
            lastDate = order;
            total += Number(numText) * DATE_UNITS[unit];
        }
        components++;
    }
    if (components === 0 || (inTime && timeComponents === 0)) return undefined;
    return Number.isFinite(total) ? total : undefined;
}

/** Formats seconds for messages: whole days when it is whole days. */
function human(seconds: number): string {
    return seconds % DAY === 0 ? `${seconds / DAY} days` : `${seconds} seconds`;
}

function maxOf(config: AzureKeyRotationConfig): { text: string; seconds: number } {
    const text = typeof config?.maxRotationInterval === "string" ? config.maxRotationInterval : DEFAULT_MAX_ROTATION_INTERVAL;
    const seconds = parseIsoDuration(text);
    if (seconds === undefined || seconds <= 0) return { text: DEFAULT_MAX_ROTATION_INTERVAL, seconds: parseIsoDuration(DEFAULT_MAX_ROTATION_INTERVAL)! };
    return { text: text.toUpperCase(), seconds };
}

interface Evaluation {
    problems: string[];
    unknown: string[];
    rotationPolicyAbsent: boolean;
}

function evaluate(subject: ResourceSubject, max: { text: string; seconds: number }): Evaluation {
    const props = subject.props;
    const problems: string[] = [];
    const unknown: string[] = [];
    const policy = read(props, ["properties", "rotationPolicy"]);
    if (policy.kind === "unknown") {
        unknown.push(policy.path.length <= 1 ? "properties" : "properties.rotationPolicy");
        return { problems, unknown, rotationPolicyAbsent: false };
    }
    if (policy.kind === "absent" || !isPlainObject(unwrapSecret(policy.value).value)) {
        problems.push(policy.kind === "absent" ? "properties.rotationPolicy is not set" : "properties.rotationPolicy is not an object");
        return { problems, unknown, rotationPolicyAbsent: policy.kind === "absent" };
    }
    const rp = policy.value;

    // The expiry of new key versions, which timeBeforeExpiry counts back from.
    const expiryTime = readString(rp, ["attributes", "expiryTime"]);
    let expirySeconds: number | undefined;
    if (expiryTime.kind === "known") {
        expirySeconds = parseIsoDuration(expiryTime.value);
        if (expirySeconds === undefined) problems.push("properties.rotationPolicy.attributes.expiryTime is not an ISO-8601 duration such as 'P1Y'");
    } else if (expiryTime.kind === "invalid") {
        problems.push("properties.rotationPolicy.attributes.expiryTime is not a string");
    }

    const actions = read(rp, ["lifetimeActions"]);
    if (actions.kind === "unknown") {
        unknown.push("properties.rotationPolicy.lifetimeActions");
    } else if (actions.kind !== "known" || !Array.isArray(actions.value) || actions.value.length === 0) {
        problems.push("properties.rotationPolicy.lifetimeActions has no actions");
    } else {
        let rotates = false;
        let undecided = false;
        const late: string[] = [];
        let sawRotate = false;
        actions.value.forEach((a, i) => {
            const type = readString(a, ["action", "type"]);
            if (type.kind === "unknown") {
                undecided = true;
                return;
            }
            if (type.kind !== "known" || type.value.toLowerCase() !== "rotate") return;
            sawRotate = true;
            const where = `lifetimeActions[${i}].trigger`;
            const tac = readString(a, ["trigger", "timeAfterCreate"]);
            const tbe = readString(a, ["trigger", "timeBeforeExpiry"]);
            if (tac.kind === "unknown" || tbe.kind === "unknown") undecided = true;
            if (tac.kind === "known") {
                const t = parseIsoDuration(tac.value);
                if (t === undefined) late.push(`${where}.timeAfterCreate is not an ISO-8601 duration`);
                else if (t <= max.seconds) rotates = true;
                else late.push(`${where}.timeAfterCreate rotates after ${human(t)}`);
            }
            if (tbe.kind === "known") {
                const t = parseIsoDuration(tbe.value);
                if (t === undefined) late.push(`${where}.timeBeforeExpiry is not an ISO-8601 duration`);
                else if (expiryTime.kind === "unknown") undecided = true;
                else if (expirySeconds === undefined) {
                    if (expiryTime.kind === "absent") late.push(`${where}.timeBeforeExpiry needs properties.rotationPolicy.attributes.expiryTime`);
                } else if (expirySeconds - t > 0 && expirySeconds - t <= max.seconds) rotates = true;
                else late.push(`${where}.timeBeforeExpiry rotates ${human(Math.max(0, expirySeconds - t))} after creation`);
            }
            if (tac.kind === "absent" && tbe.kind === "absent") late.push(`${where} has no timeAfterCreate or timeBeforeExpiry`);
            if ((tac.kind === "invalid" || tbe.kind === "invalid")) late.push(`${where} is not a string duration`);
        });
        if (!rotates) {
            if (undecided) unknown.push("properties.rotationPolicy.lifetimeActions");
            else if (!sawRotate) problems.push("properties.rotationPolicy.lifetimeActions has no action of type Rotate");
            else problems.push(`no Rotate action fires within ${max.text} (${human(max.seconds)}): ${late.join("; ")}`);
        }
    }

    // An expiry must be set: on new versions through the policy, or on the key itself.
    if (expiryTime.kind === "absent") {
        const expires = readNumber(props, ["properties", "attributes", "expires"]);
        if (expires.kind === "unknown") unknown.push("properties.attributes.expires");
        else if (expires.kind === "absent") problems.push("no expiry is set (properties.rotationPolicy.attributes.expiryTime or properties.attributes.expires)");
        else if (expires.kind === "invalid") problems.push("properties.attributes.expires is not a number of seconds since 1970");
    } else if (expiryTime.kind === "unknown") {
        unknown.push("properties.rotationPolicy.attributes.expiryTime");
    }
    return { problems, unknown, rotationPolicyAbsent: false };
}

export function checkKeyRotation(subject: ResourceSubject, config: AzureKeyRotationConfig): Outcome {
    if (subject.type !== KEY_TYPE) return notApplicable(`applies only to ${KEY_TYPE}`);
    const max = maxOf(config);
    const e = evaluate(subject, max);
    if (e.problems.length) {
        return findings({
            message: `Key Vault key '${subject.name}' does not rotate as required: ${e.problems.join("; ")}. ` +
                `Set properties.rotationPolicy with a lifetime action { action: { type: "rotate" }, trigger: { timeAfterCreate: "${max.text}" } } ` +
                `and attributes.expiryTime (for example "P1Y") so every key version rotates within ${max.text} and expires.`,
        });
    }
    if (e.unknown.length) {
        return notApplicable(`${e.unknown.join(" and ")} of Key Vault key '${subject.name}' is unknown during preview; checked at update`);
    }
    return findings();
}

/** The expiry the remediation sets: one year, or the maximum plus 28 days when that is longer. */
export function remediationExpiry(maxSeconds: number): string {
    const minimum = maxSeconds + 28 * DAY;
    return minimum <= 365 * DAY ? "P1Y" : `P${Math.ceil(minimum / DAY)}D`;
}

/** Adds a rotation policy (Rotate at the maximum, with an expiry) when the key has none. */
export function remediateKeyRotation(subject: ResourceSubject, config: AzureKeyRotationConfig): WireObject | undefined {
    if (subject.type !== KEY_TYPE) return undefined;
    const max = maxOf(config);
    const e = evaluate(subject, max);
    if (!e.rotationPolicyAbsent) return undefined;
    const rotationPolicy: WireObject = {
        attributes: { expiryTime: remediationExpiry(max.seconds) },
        lifetimeActions: [{ action: { type: "rotate" }, trigger: { timeAfterCreate: max.text } }],
    };
    const old: Wire | undefined = subject.props.properties;
    const inner = unwrapSecret(old).value;
    if (inner !== undefined && inner !== null && !isPlainObject(inner)) return undefined;
    const properties: WireObject = { ...((inner as WireObject | null | undefined) ?? {}), rotationPolicy };
    return {
        ...subject.props,
        properties: isSecretWrapper(old) ? { ...(old as WireObject), value: properties } : properties,
    };
}
