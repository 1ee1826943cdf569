// The pack's entry point (package.json `main`, compiled). It prints nothing and reads no stack config at load:
// `pulumi policy publish` starts it with no stack, and the engine reads the port from the first stdout line.
import { PolicyPack } from "@pulumi/policy";
import { installEngineHook } from "./lib/engine-hook";
import { validatePackConfig } from "./lib/pack-config";
import { POLICY_MODULES } from "./registry";

const metas = POLICY_MODULES.map((m) => m.meta);
installEngineHook((received) => validatePackConfig(metas, received));

new PolicyPack("ml-secrets-guard", {
    description: "Keeps machine-learning pipeline secrets out of code, out of plaintext state and out of stack exports, " +
        "and enforces key rotation on AWS, Google Cloud, Azure and HashiCorp Vault.",
    displayName: "ML secrets guard",
    policies: POLICY_MODULES.map((m) => m.policy),
});
