// azure-keyvault-network-acls, the pure logic: a Key Vault must not be open to the whole internet: either the
// firewall denies by default (`properties.networkAcls.defaultAction: Deny`) or public network access is off
// (`properties.publicNetworkAccess: Disabled`).
import { findings, notApplicable, Outcome, ResourceSubject } from "../lib/rule";
import { readString } from "../lib/wire";

export const VAULT_TYPE = "azure-native:keyvault:Vault";

export function checkNetworkAcls(subject: ResourceSubject): Outcome {
    if (subject.type !== VAULT_TYPE) return notApplicable(`applies only to ${VAULT_TYPE}`);
    const action = readString(subject.props, ["properties", "networkAcls", "defaultAction"]);
    const access = readString(subject.props, ["properties", "publicNetworkAccess"]);
    if (action.kind === "known" && action.value.toLowerCase() === "deny") return findings();
    if (access.kind === "known" && access.value.toLowerCase() === "disabled") return findings();
    const unknown: string[] = [];
    if (action.kind === "unknown") unknown.push("properties.networkAcls.defaultAction");
    if (access.kind === "unknown") unknown.push("properties.publicNetworkAccess");
    if (unknown.length) {
        return notApplicable(`${unknown.join(" and ")} of Key Vault '${subject.name}' is unknown during preview; checked at update`);
    }
    const actionWhy = action.kind === "known" ? "properties.networkAcls.defaultAction is not 'Deny'"
        : action.kind === "invalid" ? "properties.networkAcls.defaultAction is not a string"
        : "properties.networkAcls.defaultAction is not set (Azure allows all networks by default)";
    const accessWhy = access.kind === "known" ? "properties.publicNetworkAccess is not 'Disabled'"
        : access.kind === "invalid" ? "properties.publicNetworkAccess is not a string"
        : "properties.publicNetworkAccess is not set";
    return findings({
        message: `Key Vault '${subject.name}' accepts traffic from any network: ${actionWhy} and ${accessWhy}. ` +
            "Set properties.networkAcls.defaultAction: 'Deny' with ipRules/virtualNetworkRules for the callers that need it " +
            "(bypass: 'AzureServices' for trusted services), or set properties.publicNetworkAccess: 'Disabled' and use a private endpoint.",
    });
}
