import { checkNetworkAcls, VAULT_TYPE } from "../../../policies/rules/azure-keyvault-network-acls";
import { Case, neverThrows, runCases, secret, UNKNOWN_OBJECT, UNKNOWN_STRING } from "../../helpers/rule-cases";

const vault = (p: Record<string, unknown>) => ({ resourceGroupName: "rg-ml", properties: { tenantId: "00000000-0000-0000-0000-000000000000", ...p } }) as never;

const cases: Case[] = [
    { name: "deny by default", props: vault({ networkAcls: { defaultAction: "Deny", bypass: "AzureServices" } }), expect: "pass" },
    { name: "deny in lower case", props: vault({ networkAcls: { defaultAction: "deny" } }), expect: "pass" },
    { name: "public access disabled", props: vault({ publicNetworkAccess: "Disabled" }), expect: "pass" },
    { name: "public access disabled, lower case, with Allow ACLs", props: vault({ publicNetworkAccess: "disabled", networkAcls: { defaultAction: "Allow" } }), expect: "pass" },
    { name: "secret-wrapped network ACLs", props: vault({ networkAcls: secret({ defaultAction: "Deny" }) }), expect: "pass" },
    { name: "deny decides even if public access is unknown", props: vault({ networkAcls: { defaultAction: "Deny" }, publicNetworkAccess: UNKNOWN_STRING }), expect: "pass" },
    { name: "nothing set", props: vault({}), expect: "fail", match: [/Key Vault 'res' accepts traffic from any network/, /defaultAction is not set/, /defaultAction: 'Deny'/] },
    { name: "allow by default", props: vault({ networkAcls: { defaultAction: "Allow" } }), expect: "fail", match: [/defaultAction is not 'Deny'/] },
    { name: "public access enabled", props: vault({ publicNetworkAccess: "Enabled" }), expect: "fail", match: [/publicNetworkAccess is not 'Disabled'/] },
    { name: "network ACLs as an array", props: vault({ networkAcls: [{ defaultAction: "Deny" }] }), expect: "fail" },
    { name: "defaultAction as a number", props: vault({ networkAcls: { defaultAction: 1 } }), expect: "fail", match: [/not a string/] },
    { name: "publicNetworkAccess as a boolean", props: vault({ publicNetworkAccess: false }), expect: "fail" },
    { name: "no properties", props: {}, expect: "fail" },
    { name: "defaultAction unknown", props: vault({ networkAcls: { defaultAction: UNKNOWN_STRING } }), expect: "na", match: [/unknown during preview; checked at update/] },
    { name: "networkAcls unknown, access enabled", props: vault({ networkAcls: UNKNOWN_OBJECT, publicNetworkAccess: "Enabled" }), expect: "na" },
    { name: "other type", type: "azure-native:storage:StorageAccount", props: {}, expect: "na" },
];

describe("azure-keyvault-network-acls rule", () => {
    runCases("cases", VAULT_TYPE, cases, checkNetworkAcls);
    neverThrows(VAULT_TYPE, ["properties", "networkAcls", "defaultAction", "publicNetworkAccess"], checkNetworkAcls);
});
