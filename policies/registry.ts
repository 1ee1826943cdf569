// Every policy of the pack, in the order they run. One module per policy, named after what it guards.
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { PolicyMeta } from "./lib/rule";
import * as noHardcodedSecrets from "./no-hardcoded-secrets";
import * as noPlaintextSecretExports from "./no-plaintext-secret-exports";

export interface PolicyModule {
    meta: PolicyMeta;
    policy: ResourceValidationPolicy | StackValidationPolicy;
}

export const POLICY_MODULES: PolicyModule[] = [
    noHardcodedSecrets,
    noPlaintextSecretExports,
];
