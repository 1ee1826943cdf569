// The stack's decrypted config, read lazily (never at module load: `pulumi policy publish` starts the pack with
// no stack). ConfigureStack's copy is preferred because it says which keys are secret; otherwise PULUMI_CONFIG
// is read through @pulumi/pulumi's config API.
import { StackConfigView } from "./rule";
import { capturedStackInfo } from "./engine-hook";

let cached: { view: StackConfigView; fromEngine: boolean } | undefined;

export function stackConfig(): StackConfigView {
    const info = capturedStackInfo();
    if (cached && (cached.fromEngine || !info)) return cached.view;
    if (info) {
        cached = {
            fromEngine: true,
            view: { available: true, values: info.config, secretKeys: info.secretKeys, dryRun: info.dryRun },
        };
        return cached.view;
    }
    const cfg = require("@pulumi/pulumi/runtime/config");
    const all: Record<string, string> = cfg.allConfig();
    const values = new Map<string, string>(Object.entries(all));
    const secretKeys = new Set<string>([...values.keys()].filter((k) => cfg.isConfigSecret(k)));
    const dry = process.env.PULUMI_NODEJS_DRY_RUN ?? process.env.PULUMI_DRY_RUN;
    cached = {
        fromEngine: false,
        view: {
            available: values.size > 0 || process.env.PULUMI_CONFIG !== undefined,
            values,
            secretKeys,
            secretKeysKnown: process.env.PULUMI_CONFIG_SECRET_KEYS !== undefined,
            dryRun: dry === undefined ? undefined : dry === "true",
        },
    };
    return cached.view;
}
