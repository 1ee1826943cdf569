// azure-keyvault-access-policies, the pure logic (a stack rule): an Azure Key Vault must have an authorization
// model: RBAC (`properties.enableRbacAuthorization: true`), inline `properties.accessPolicies`, or standalone
// `azure-native:keyvault:AccessPolicy` (or classic `azure:keyvault/accessPolicy:AccessPolicy`) resources that grant at
// least one permission on it. A recovered vault (`properties.createMode: recover`) keeps the access policies it had,
// so it is not checked. Which vault an AccessPolicy targets comes from its target property's value, or, when that is
// unknown in preview, from that property's dependencies.
import { findings, Finding, notApplicable, Outcome, StackSubject } from "../lib/rule";
import { read, readBool, readString, Scalar, Wire } from "../lib/wire";

export const VAULT_TYPE = "azure-native:keyvault:Vault";
export const ACCESS_POLICY_TYPE = "azure-native:keyvault:AccessPolicy";
/** The classic provider's standalone access policy: `keyVaultId` and top-level permission lists. */
export const CLASSIC_ACCESS_POLICY_TYPE = "azure:keyvault/accessPolicy:AccessPolicy";

/** The property that names the target vault, per AccessPolicy type. */
const TARGET_KEY: Record<string, string> = { [ACCESS_POLICY_TYPE]: "vaultName", [CLASSIC_ACCESS_POLICY_TYPE]: "keyVaultId" };
const PERMISSION_KINDS = ["keys", "secrets", "certificates", "storage"];
const CLASSIC_PERMISSION_LISTS = ["keyPermissions", "secretPermissions", "certificatePermissions", "storagePermissions"];
/** `/subscriptions/<s>/resourceGroups/<rg>/providers/Microsoft.KeyVault/vaults/<name>`. */
const VAULT_ID = /\/resourceGroups\/([^/]+)\/providers\/Microsoft\.KeyVault\/vaults\/([^/]+)\/?$/i;

type Tri = "yes" | "no" | "unknown";

/** The vault's name as the program set it (`vaultName`) or as Azure returned it (`name`). */
function vaultNameOf(v: StackSubject): { kind: "known"; value: string } | { kind: "unknown" } | { kind: "absent" } {
    for (const key of ["vaultName", "name"]) {
        const r = readString(v.props, [key]);
        if (r.kind === "known" && r.value !== "") return { kind: "known", value: r.value };
        if (r.kind === "unknown") return { kind: "unknown" };
    }
    return { kind: "absent" };
}

/** Does the AccessPolicy's `policy` (or `accessPolicy`; classic: its `*Permissions` lists) grant at least one permission? */
export function grantsPermission(ap: StackSubject): Tri {
    let sawUnknown = false;
    if (ap.type === CLASSIC_ACCESS_POLICY_TYPE) {
        for (const key of CLASSIC_PERMISSION_LISTS) {
            const list = read(ap.props, [key]);
            if (list.kind === "unknown") sawUnknown = true;
            else if (list.kind === "known" && Array.isArray(list.value) && list.value.length > 0) return "yes";
        }
        return sawUnknown ? "unknown" : "no";
    }
    for (const key of ["policy", "accessPolicy"]) {
        const perms = read(ap.props, [key, "permissions"]);
        if (perms.kind === "unknown") {
            sawUnknown = true;
            continue;
        }
        if (perms.kind !== "known") continue;
        for (const kind of PERMISSION_KINDS) {
            const list = read(perms.value, [kind]);
            if (list.kind === "unknown") sawUnknown = true;
            else if (list.kind === "known" && Array.isArray(list.value) && list.value.length > 0) return "yes";
        }
    }
    return sawUnknown ? "unknown" : "no";
}

/** The target vault's name and resource group as the AccessPolicy's known target property gives them. */
function targetOf(ap: StackSubject): { kind: "known"; name: string; resourceGroup: Scalar<string> } | { kind: "unknown" } | { kind: "none" } {
    const value = readString(ap.props, [TARGET_KEY[ap.type]]);
    if (value.kind === "unknown") return { kind: "unknown" };
    if (value.kind !== "known") return { kind: "none" };
    if (ap.type !== CLASSIC_ACCESS_POLICY_TYPE) return { kind: "known", name: value.value, resourceGroup: readString(ap.props, ["resourceGroupName"]) };
    const m = VAULT_ID.exec(value.value);
    return m ? { kind: "known", name: m[2], resourceGroup: { kind: "known", value: m[1] } } : { kind: "none" };
}

/**
 * Does this AccessPolicy resource target this vault? In preview its target is unknown when it comes from a resource
 * output; its property dependencies then tell: on this vault, yes; on another vault, or only on resources this
 * vault's name and resource group do not come from, no. `vaults` are the URNs of every vault in the stack.
 */
export function targetsVault(ap: StackSubject, vault: StackSubject, vaults: ReadonlySet<string> = new Set()): Tri {
    const targetKey = TARGET_KEY[ap.type] ?? "vaultName";
    const deps = ap.propertyDependencies?.[targetKey];
    if (Array.isArray(deps) && deps.includes(vault.urn)) return "yes";
    const target = targetOf(ap);
    if (target.kind === "unknown") {
        if (!Array.isArray(deps) || deps.length === 0) return "unknown";
        if (deps.some((d) => d !== vault.urn && vaults.has(d))) return "no";
        const sources = new Set([...(vault.propertyDependencies?.vaultName ?? []), ...(vault.propertyDependencies?.resourceGroupName ?? [])]);
        return deps.some((d) => sources.has(d)) ? "unknown" : "no";
    }
    if (target.kind !== "known") return "no";
    const vName = vaultNameOf(vault);
    if (vName.kind === "unknown") return "unknown";
    if (vName.kind !== "known" || vName.value.toLowerCase() !== target.name.toLowerCase()) return "no";
    const apRg = target.resourceGroup;
    const vRg = readString(vault.props, ["resourceGroupName"]);
    if (apRg.kind === "known" && vRg.kind === "known") {
        return apRg.value.toLowerCase() === vRg.value.toLowerCase() ? "yes" : "no";
    }
    return "yes";
}

/** Is the vault granted by standalone AccessPolicy resources? */
function grantedByStandalone(vault: StackSubject, accessPolicies: StackSubject[], vaults: ReadonlySet<string>): Tri {
    let result: Tri = "no";
    for (const ap of accessPolicies) {
        const t = targetsVault(ap, vault, vaults);
        if (t === "no") continue;
        const g = grantsPermission(ap);
        if (t === "yes" && g === "yes") return "yes";
        if (g !== "no") result = "unknown";
    }
    return result;
}

function isNonEmptyList(v: Wire): boolean {
    return Array.isArray(v) && v.length > 0;
}

export function checkVaultAccessPolicies(resources: StackSubject[]): Outcome {
    const list = Array.isArray(resources) ? resources : [];
    const vaults = list.filter((r) => r && r.type === VAULT_TYPE);
    if (vaults.length === 0) return notApplicable(`no ${VAULT_TYPE} in the stack`);
    const accessPolicies = list.filter((r) => r && Object.prototype.hasOwnProperty.call(TARGET_KEY, r.type));
    const vaultUrns = new Set(vaults.map((v) => v.urn));
    const out: Finding[] = [];
    const unknown: string[] = [];
    let decided = 0;
    for (const v of vaults) {
        const createMode = readString(v.props, ["properties", "createMode"]);
        if (createMode.kind === "known" && createMode.value.toLowerCase() === "recover") continue;
        const rbac = readBool(v.props, ["properties", "enableRbacAuthorization"]);
        if (rbac.kind === "known" && rbac.value === true) {
            decided++;
            continue;
        }
        const inline = read(v.props, ["properties", "accessPolicies"]);
        if (inline.kind === "known" && isNonEmptyList(inline.value)) {
            decided++;
            continue;
        }
        const standalone = grantedByStandalone(v, accessPolicies, vaultUrns);
        if (standalone === "yes") {
            decided++;
            continue;
        }
        const undecided: string[] = [];
        if (createMode.kind === "unknown") undecided.push("properties.createMode");
        if (rbac.kind === "unknown") undecided.push("properties.enableRbacAuthorization");
        if (inline.kind === "unknown") undecided.push("properties.accessPolicies");
        if (standalone === "unknown") undecided.push("the vaultName or permissions of an AccessPolicy resource");
        if (undecided.length) {
            unknown.push(`Key Vault '${v.name}': ${undecided.join(", ")}`);
            continue;
        }
        decided++;
        const why = inline.kind === "known" && !Array.isArray(inline.value)
            ? "properties.accessPolicies is not a list"
            : inline.kind === "known" ? "properties.accessPolicies is empty" : "properties.accessPolicies is not set";
        const rbacWhy = rbac.kind === "invalid" ? "properties.enableRbacAuthorization is not a boolean"
            : rbac.kind === "known" ? "properties.enableRbacAuthorization is false" : "properties.enableRbacAuthorization is not set";
        out.push({
            urn: v.urn,
            message: `Key Vault '${v.name}' has no access model: ${why}, ${rbacWhy}, and no ${ACCESS_POLICY_TYPE} resource ` +
                "grants permissions on it. Set properties.enableRbacAuthorization: true and grant Key Vault roles (preferred), " +
                "or add properties.accessPolicies entries, or declare an AccessPolicy resource with vaultName: vault.name and at least one permission.",
        });
    }
    if (out.length > 0) return findings(...out);
    if (unknown.length > 0) return notApplicable(`${unknown.join("; ")} is unknown during preview; checked at update`);
    if (decided === 0) return notApplicable("every Key Vault in the stack is recovered (properties.createMode: recover)");
    return findings();
}
