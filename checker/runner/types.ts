// What the program runner captures: every resource exactly as the engine would hold it.

import { SourceLocation, WirePosition } from "../location";

export type Raw = Record<string, any>;

export interface CapturedOptions {
    protect: boolean;
    ignoreChanges: string[];
    deleteBeforeReplace?: boolean;
    additionalSecretOutputs: string[];
    aliases: string[];
    customTimeouts: { create: number; update: number; delete: number };
}

export interface CapturedResource {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    /** Parent URN, "" for the root stack and default providers. */
    parent: string;
    /** Provider reference `<providerURN>::<id>`, "" when none (components, providers, the root stack). */
    provider: string;
    id: string;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
    /** Raw wire inputs: secret wrappers, unknown sentinels and resource references intact. */
    inputs: Raw;
    /** Raw wire outputs (the engine's view after the step): for components, the registered outputs. */
    outputs: Raw;
    options: CapturedOptions;
    /** A `Resource.get` read: only in the stack analysis, never analyzed on its own. */
    read?: boolean;
    /** Registered by the engine (default provider), not the program. */
    defaultProvider?: boolean;
    /** The SDK's call site (`RegisterResourceRequest.sourcePosition`): usually a frame inside the SDK itself. */
    sourcePosition?: WirePosition;
    /** The SDK's stack trace, innermost first; frames without a position are undefined. */
    stackTrace?: Array<WirePosition | undefined>;
    /** Where the program creates the resource, when known (a state export's `sourcePosition`). */
    location?: SourceLocation;
}

export interface RunResult {
    project: string;
    stack: string;
    organization: string;
    dryRun: boolean;
    config: Record<string, string>;
    secretKeys: string[];
    resources: CapturedResource[];
    /** Raw outputs of the root stack (the program's exports). */
    stackOutputs: Raw;
}
