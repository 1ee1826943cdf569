// The pack process's environment, as a provenance source. The pack inherits the Pulumi CLI's environment, so a
// program's `process.env.X` value reaches a resource input looking exactly like a literal; comparing with these
// values tells the two apart. Read once: the environment does not change during an operation.
import { environmentSources } from "../detection/provenance";

let cached: readonly string[] | undefined;

export function environmentValues(): readonly string[] {
    return (cached ??= environmentSources(process.env));
}
