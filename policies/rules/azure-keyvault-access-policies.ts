// azure-keyvault-access-policies, the pure logic (a stack rule): an Azure Key Vault must have an authorization
// model: RBAC (`properties.enableRbacAuthorization: true`), inline `properties.accessPolicies`, or standalone
// `azure-native:keyvault:AccessPolicy` resources that grant at least one permission on it. A recovered vault
// (`properties.createMode: recover`) keeps the access policies it had, so it is not checked.
import { findings, Finding, notApplicable, Outcome, StackSubject } from "../lib/rule";
import { read, readBool, readString, Wire } from "../lib/wire";

export const VAULT_TYPE = "azure-native:keyvault:Vault";
export const ACCESS_POLICY_TYPE = "azure-native:keyvault:AccessPolicy";

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

/** Does the AccessPolicy's `policy` (or `accessPolicy`) grant at least one permission? */
export function grantsPermission(ap: StackSubject): Tri {
    let sawUnknown = false;
    for (const key of ["policy", "accessPolicy"]) {
        const perms = read(ap.props, [key, "permissions"]);
        if (perms.kind === "unknown") {
            sawUnknown = true;
            continue;
        }
        if (perms.kind !== "known") continue;
        for (const kind of ["keys", "secrets", "certificates", "storage"]) {
            const list = read(perms.value, [kind]);
            if (list.kind === "unknown") sawUnknown = true;
            else if (list.kind === "known" && Array.isArray(list.value) && list.value.length > 0) return "yes";
        }
    }
    return sawUnknown ? "unknown" : "no";
}

/** Does this AccessPolicy resource target this vault? */
export function targetsVault(ap: StackSubject, vault: StackSubject): Tri {
    const deps = ap.propertyDependencies?.vaultName;
    if (Array.isArray(deps) && deps.includes(vault.urn)) return "yes";
    const apName = readString(ap.props, ["vaultName"]);
    if (apName.kind === "unknown") return "unknown";
    if (apName.kind !== "known") return "no";
    const vName = vaultNameOf(vault);
    if (vName.kind === "unknown") return "unknown";
    if (vName.kind !== "known" || vName.value.toLowerCase() !== apName.value.toLowerCase()) return "no";
    const apRg = readString(ap.props, ["resourceGroupName"]);
    const vRg = readString(vault.props, ["resourceGroupName"]);
    if (apRg.kind === "known" && vRg.kind === "known") {
        return apRg.value.toLowerCase() === vRg.value.toLowerCase() ? "yes" : "no";
    }
    return "yes";
}

/** Is the vault granted by standalone AccessPolicy resources? */
function grantedByStandalone(vault: StackSubject, accessPolicies: StackSubject[]): Tri {
    let result: Tri = "no";
    for (const ap of accessPolicies) {
        const t = targetsVault(ap, vault);
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
    const accessPolicies = list.filter((r) => r && r.type === ACCESS_POLICY_TYPE);
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
        const standalone = grantedByStandalone(v, accessPolicies);
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
