import * as pulumi from "@pulumi/pulumi";

const cfg = new pulumi.Config();
if (!cfg.get("registryUrl")) {
    throw new Error("model registry URL is not configured (set throws:registryUrl)");
}
