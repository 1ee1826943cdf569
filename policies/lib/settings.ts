// One meaning for a numeric setting that is out of range, shared by the rotation policies. Pure: no @pulumi imports.
//
// The behaviour: the config schema states each setting's default, minimum and maximum (from the same constants the
// rule uses). An out-of-range, non-integer (for integer settings) or non-numeric value is a config problem: the
// pack's validator (lib/config-schema.ts resolveConfig) reports it, naming the policy and field, and the policy runs
// with the DEFAULT, never with a clamped value. This helper applies the same rule to a config that reaches a rule
// directly (unit tests, or a caller that skipped the validator), so the rule never sees an out-of-range value.

export interface NumberSetting {
    default: number;
    minimum?: number;
    maximum?: number;
    integer?: boolean;
}

/** The setting's value when it is a finite number within its bounds, otherwise its default (see the file comment). */
export function numberSetting(value: unknown, s: NumberSetting): number {
    if (typeof value !== "number" || !Number.isFinite(value)) return s.default;
    if (s.integer && !Number.isInteger(value)) return s.default;
    if (s.minimum !== undefined && value < s.minimum) return s.default;
    if (s.maximum !== undefined && value > s.maximum) return s.default;
    return value;
}

/** The one-line statement of that behaviour, for the policies' setting descriptions (and so docs/policies.md). */
export const OUT_OF_RANGE_NOTE = "An out-of-range value is reported as a config problem and the default is used.";
