// no-stringified-outputs: resource inputs that hold Pulumi's "Calling [toJSON|toString] on an [Output<T>] is not
// supported" warning text instead of a value (JSON.stringify or a template literal of an Output).
import { resourcePolicy } from "./lib/adapter";
import { PolicyMeta } from "./lib/rule";
import { checkStringifiedOutputs } from "./rules/no-stringified-outputs";

export const meta: PolicyMeta = {
    name: "no-stringified-outputs",
    description: "Resource inputs must not hold Pulumi's Output-stringified warning text (JSON.stringify or a template literal of an Output).",
    enforcementLevel: "advisory",
    severity: "medium",
    checks: "Every string input of every resource and provider, JSON inside strings included, for the text " +
        "`Calling [toJSON] on an [Output<T>] is not supported` or `Calling [toString] on an [Output<T>] is not supported`, " +
        "which JSON.stringify, a template literal or a string concatenation of an Output stores in place of the value.",
    remediationSteps: "Build the string from Outputs with `pulumi.jsonStringify({...})` (instead of `JSON.stringify`), " +
        "`pulumi.interpolate` or `pulumi.concat` (instead of a template literal or `+`), or inside `.apply(v => ...)`. " +
        "The value meant for the property (often a secret from config) never reached the resource.",
    tags: ["secrets", "outputs"],
    configSchema: { properties: {} },
};

export const policy = resourcePolicy<Record<string, never>>(meta, {
    rule: (subject) => checkStringifiedOutputs(subject),
});
