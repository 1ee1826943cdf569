// no-stringified-outputs, the pure logic: a resource input (JSON inside strings included) that holds Pulumi's
// "Calling [toJSON|toString] on an [Output<T>] is not supported" warning instead of a value. `JSON.stringify(...)`
// of an object holding an Output, or a template literal / string concatenation with an Output, stores that text:
// the value the program meant (often a secret from config) never reached the resource.
import { findStringifiedOutputs, STRINGIFIED_OUTPUT_HEADS, StringifyMethod } from "../detection";
import { Finding, findings, Outcome, ResourceSubject } from "../lib/rule";
import { formatPath, walkStrings } from "../lib/wire";

const CAUSE: Record<StringifyMethod, string> = {
    toJSON: "JSON.stringify(...) was given an object holding an Output",
    toString: "an Output was put into a template literal or string concatenation",
};

const FIX: Record<StringifyMethod, string> = {
    toJSON: "build the string with pulumi.jsonStringify({...}) (or output.apply(v => JSON.stringify(v)))",
    toString: "build the string with pulumi.interpolate`...${output}...` (or pulumi.concat(...), or output.apply(v => `...${v}...`))",
};

export function checkStringifiedOutputs(subject: ResourceSubject): Outcome {
    const out: Finding[] = [];
    walkStrings(subject.props, (leaf) => {
        // A JSON document's own leaves are visited next: the warning is reported where it sits in the document.
        if (leaf.holdsJson) return;
        const found = findStringifiedOutputs(leaf.value);
        if (found.length === 0) return;
        const methods = [...new Set(found.map((f) => f.method))];
        const what = methods.map((m) => `"${STRINGIFIED_OUTPUT_HEADS[m]}"`).join(" and ");
        out.push({
            message: `'${subject.name}' (${subject.type}) input ${formatPath(leaf.path)} holds Pulumi's ${what} warning text ` +
                `instead of a value: ${methods.map((m) => CAUSE[m]).join(", and ")}, so the value (a secret from config, a resource output) ` +
                `never reaches the resource. Fix: ${methods.map((m) => FIX[m]).join("; ")}.`,
        });
    });
    return findings(...out);
}
