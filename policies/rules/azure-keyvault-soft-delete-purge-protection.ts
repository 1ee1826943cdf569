// azure-keyvault-soft-delete-purge-protection, the pure logic: a Key Vault must be recoverable: soft delete on
// (`properties.enableSoftDelete` not false; Azure turns it on when unset) and purge protection on
// (`properties.enablePurgeProtection: true`).
import { findings, notApplicable, Outcome, ResourceSubject } from "../lib/rule";
import { readBool } from "../lib/wire";

export const VAULT_TYPE = "azure-native:keyvault:Vault";

export function checkSoftDeletePurgeProtection(subject: ResourceSubject): Outcome {
    if (subject.type !== VAULT_TYPE) return notApplicable(`applies only to ${VAULT_TYPE}`);
    const problems: string[] = [];
    const unknown: string[] = [];
    const softDelete = readBool(subject.props, ["properties", "enableSoftDelete"]);
    if (softDelete.kind === "unknown") unknown.push("properties.enableSoftDelete");
    else if (softDelete.kind === "known" && softDelete.value === false) problems.push("properties.enableSoftDelete is false");
    else if (softDelete.kind === "invalid") problems.push("properties.enableSoftDelete is not a boolean");
    const purge = readBool(subject.props, ["properties", "enablePurgeProtection"]);
    if (purge.kind === "unknown") unknown.push("properties.enablePurgeProtection");
    else if (purge.kind === "absent") problems.push("properties.enablePurgeProtection is not set");
    else if (purge.kind === "invalid") problems.push("properties.enablePurgeProtection is not a boolean");
    else if (purge.value !== true) problems.push("properties.enablePurgeProtection is false");
    if (problems.length) {
        return findings({
            message: `Key Vault '${subject.name}' is not recoverable: ${problems.join(" and ")}. ` +
                "Set properties.enableSoftDelete: true (or leave it unset) and properties.enablePurgeProtection: true, " +
                "so deleted keys and secrets can be recovered during the retention period and cannot be purged early.",
        });
    }
    if (unknown.length) return notApplicable(`${unknown.join(" and ")} of Key Vault '${subject.name}' is unknown during preview; checked at update`);
    return findings();
}
