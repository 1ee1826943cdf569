// Recognises the two JSON forms the Pulumi engine writes a stack's state in, and every version of them it still reads
// (pulumi/pulumi sdk/go/common/apitype/core.go and sdk/pkg/resource/stack/checkpoint.go, deployment.go):
//   - `pulumi stack export` (UntypedDeployment): {version: 1-4, features?: [...], deployment: DeploymentV1-V3}
//   - the checkpoint a self-managed backend stores (file://, s3://, gs://, azblob://: .pulumi/stacks/<project>/<stack>.json,
//     possibly gzipped) (VersionedCheckpoint): {version: 1-4, features?: [...], checkpoint: {stack, config?, latest?}},
//     or, written before checkpoints were versioned, a bare CheckpointV1 {stack, config?, latest}.
// Version 4 is version 3 plus `features` the reader must support (refreshBeforeUpdate, views, hooks, taint at the time
// of writing). Versions 1 and 2 are migrated as the engine does (migrate.UpToResourceV2/V3): fields that version does
// not have are ignored, and every input property depends on all of the resource's dependencies.
// Errors name the file and a field, never the file's content.
import * as zlib from "zlib";
import { StateError } from "./errors";

export { StateError };

/** Deployment schema versions the engine reads (DeploymentSchemaVersionOldestSupported .. Latest). */
export const OLDEST_VERSION = 1;
export const LATEST_VERSION = 4;

/** Features of version-4 states whose meaning does not change how a resource's inputs and outputs are read. */
export const KNOWN_FEATURES: readonly string[] = ["refreshBeforeUpdate", "views", "hooks", "taint"];

export interface UnwrappedState {
    form: "export" | "checkpoint";
    /** Deployment schema version (a bare, unversioned checkpoint is version 1). */
    version: number;
    features: string[];
    /** DeploymentV1/V2/V3 (the checkpoint's `latest`). */
    deployment: Record<string, unknown>;
    notes: string[];
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
    return !!v && typeof v === "object" && !Array.isArray(v);
}

const EXPECTED = "expected what `pulumi stack export` writes ({version, deployment}) or the checkpoint a self-managed " +
    "backend stores ({version, checkpoint: {latest}})";

function describeVersion(v: unknown): string {
    return typeof v === "number" ? String(v) : v === undefined ? "missing" : `a ${v === null ? "null" : typeof v}`;
}

function checkVersion(v: unknown, source: string, what: string): number {
    if (typeof v === "number" && Number.isInteger(v) && v >= OLDEST_VERSION && v <= LATEST_VERSION) return v;
    const tooNew = typeof v === "number" && v > LATEST_VERSION;
    throw new StateError(`${source} has ${what} version ${describeVersion(v)}; versions ${OLDEST_VERSION} to ` +
        `${LATEST_VERSION} are supported${tooNew ? " (written by a newer Pulumi CLI than this checker knows)" : ""} (${EXPECTED})`);
}

/** Decompresses a gzipped checkpoint (PULUMI_DIY_BACKEND_GZIP); refuses zstd, which Node 20 cannot read. */
export function decodeStateBytes(bytes: Buffer, source: string): string {
    if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
        try {
            return zlib.gunzipSync(bytes).toString("utf8");
        } catch {
            throw new StateError(`${source} is gzip-compressed but does not decompress`);
        }
    }
    if (bytes.length >= 4 && bytes.readUInt32LE(0) === 0xfd2fb528) {
        throw new StateError(`${source} is zstd-compressed; decompress it first (zstd -d)`);
    }
    return bytes.toString("utf8");
}

/** Finds the deployment in an export or a checkpoint, with its version and features. */
export function unwrapState(doc: unknown, source: string): UnwrappedState {
    if (!isPlainObject(doc)) throw new StateError(`${source} is not a stack state (${EXPECTED})`);
    const notes: string[] = [];
    let form: UnwrappedState["form"];
    let version: number;
    let deployment: unknown;
    if ("checkpoint" in doc) {
        form = "checkpoint";
        version = checkVersion(doc.version, source, "checkpoint");
        const chk = doc.checkpoint;
        if (!isPlainObject(chk)) throw new StateError(`${source}: checkpoint must be an object (${EXPECTED})`);
        deployment = chk.latest;
    } else if ("deployment" in doc) {
        form = "export";
        version = checkVersion(doc.version, source, "deployment");
        deployment = doc.deployment;
        if (!isPlainObject(deployment)) throw new StateError(`${source} has no deployment object (${EXPECTED})`);
    } else if (doc.version === undefined && "latest" in doc) {
        // A checkpoint from before checkpoints were versioned: a bare CheckpointV1.
        form = "checkpoint";
        version = 1;
        deployment = doc.latest;
    } else {
        throw new StateError(`${source} is not a stack state: it has neither a deployment nor a checkpoint (${EXPECTED})`);
    }
    if (form === "checkpoint") {
        if (deployment === undefined || deployment === null) {
            throw new StateError(`${source} is a checkpoint without a latest deployment: the stack has never been ` +
                `updated (or its state was reset), so there is nothing to audit`);
        }
        if (!isPlainObject(deployment)) throw new StateError(`${source}: checkpoint.latest must be an object`);
    }

    let features: string[] = [];
    // As in the engine, features only mean something from version 4 on.
    if (version >= 4 && doc.features !== undefined && doc.features !== null) {
        if (!Array.isArray(doc.features) || doc.features.some((f) => typeof f !== "string")) {
            throw new StateError(`${source}: features must be an array of strings`);
        }
        features = doc.features as string[];
        const unknown = features.filter((f) => !KNOWN_FEATURES.includes(f));
        if (unknown.length > 0) {
            notes.push(`${source} uses state features this checker does not know (${unknown.map((f) => f.slice(0, 60)).join(", ")}); ` +
                `it is read as version ${version}, and values of shapes it does not know are passed to the pack as they are`);
        }
    }
    const d = deployment as Record<string, unknown>;
    const sp = d.secrets_providers;
    // Any secrets provider (passphrase, b64, awskms, azurekeyvault, gcpkms, hashivault, service): its ciphertexts are
    // never decrypted, so its type and state do not matter here.
    if (sp !== undefined && sp !== null && (!isPlainObject(sp) || (sp.type !== undefined && typeof sp.type !== "string"))) {
        throw new StateError(`${source}: secrets_providers must be an object with a string type`);
    }
    return { form, version, features, deployment: d, notes };
}
