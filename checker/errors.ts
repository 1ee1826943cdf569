// The checker's expected errors: one base class whose `kind` selects the exit status and how the CLI words the
// message. Anything that is not a CheckerError is an internal error (reported with its stack).
import { EXIT_ERROR } from "./types";

export type CheckerErrorKind =
    | "usage" | "program" | "pack-start" | "policy-run" | "policy-config" | "state" | "baseline" | "scenario";

const KINDS: Record<CheckerErrorKind, { exitCode: number; prefix: string }> = {
    "usage": { exitCode: EXIT_ERROR, prefix: "" },
    "program": { exitCode: EXIT_ERROR, prefix: "the program failed: " },
    "pack-start": { exitCode: EXIT_ERROR, prefix: "" },
    "policy-run": { exitCode: EXIT_ERROR, prefix: "" },
    "policy-config": { exitCode: EXIT_ERROR, prefix: "" },
    "state": { exitCode: EXIT_ERROR, prefix: "" },
    "baseline": { exitCode: EXIT_ERROR, prefix: "" },
    "scenario": { exitCode: EXIT_ERROR, prefix: "" },
};

export abstract class CheckerError extends Error {
    abstract readonly kind: CheckerErrorKind;
}

/** The exit status and the line on stderr for an expected error. */
export function checkerErrorExit(e: CheckerError): { exitCode: number; message: string } {
    const k = KINDS[e.kind];
    return { exitCode: k.exitCode, message: `error: ${k.prefix}${e.message}\n` };
}

/** Inputs and the environment: a bad flag value, a missing Pulumi.yaml, no @pulumi/pulumi next to the program. */
export class UsageError extends CheckerError {
    readonly kind = "usage";
    name = "UsageError";
}

/** The Pulumi program threw or did not finish. */
export class ProgramError extends CheckerError {
    readonly kind = "program";
    name = "ProgramError";
}

/** The pack did not start or did not print its port. */
export class PackStartError extends CheckerError {
    readonly kind = "pack-start";
    name = "PackStartError";
}

/** A gRPC call to the pack failed. */
export class PolicyRunError extends CheckerError {
    readonly kind = "policy-run";
    name = "PolicyRunError";
}

/** The policy config file does not match the pack's schemas. */
export class PolicyConfigError extends CheckerError {
    readonly kind = "policy-config";
    name = "PolicyConfigError";
}

/** A state export, checkpoint or stack config file cannot be read. */
export class StateError extends CheckerError {
    readonly kind = "state";
    name = "StateError";
}

/** The --baseline report cannot be read. */
export class BaselineError extends CheckerError {
    readonly kind = "baseline";
    name = "BaselineError";
}

/** reference-stacks/scenarios.json is missing or malformed. */
export class ScenarioError extends CheckerError {
    readonly kind = "scenario";
    name = "ScenarioError";
}
