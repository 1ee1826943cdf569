import { checkSoftDeletePurgeProtection, VAULT_TYPE } from "../../../policies/rules/azure-keyvault-soft-delete-purge-protection";
import { Case, neverThrows, runCases, secret, UNKNOWN_BOOL, UNKNOWN_OBJECT } from "../../helpers/rule-cases";

const vault = (p: Record<string, unknown>) => ({ resourceGroupName: "rg-ml", properties: { tenantId: "00000000-0000-0000-0000-000000000000", sku: { family: "A", name: "standard" }, ...p } }) as never;

const cases: Case[] = [
    { name: "purge protection on, soft delete default", props: vault({ enablePurgeProtection: true }), expect: "pass" },
    { name: "both on", props: vault({ enableSoftDelete: true, enablePurgeProtection: true }), expect: "pass" },
    { name: "strings 'true'", props: vault({ enableSoftDelete: "true", enablePurgeProtection: "true" }), expect: "pass" },
    { name: "secret-wrapped", props: vault({ enablePurgeProtection: secret(true) }), expect: "pass" },
    { name: "purge protection unset", props: vault({ enableSoftDelete: true }), expect: "fail", match: [/Key Vault 'res' is not recoverable/, /enablePurgeProtection is not set/, /enablePurgeProtection: true/] },
    { name: "purge protection false", props: vault({ enablePurgeProtection: false }), expect: "fail", match: [/enablePurgeProtection is false/] },
    { name: "soft delete off", props: vault({ enableSoftDelete: false, enablePurgeProtection: true }), expect: "fail", match: [/enableSoftDelete is false/] },
    { name: "soft delete 'false'", props: vault({ enableSoftDelete: "false", enablePurgeProtection: true }), expect: "fail" },
    { name: "both wrong: one finding naming both", props: vault({ enableSoftDelete: false, enablePurgeProtection: false }), expect: "fail", count: 1, match: [/enableSoftDelete is false and properties\.enablePurgeProtection is false/] },
    { name: "purge protection as a number", props: vault({ enablePurgeProtection: 1 }), expect: "fail", match: [/not a boolean/] },
    { name: "soft delete as an object", props: vault({ enableSoftDelete: {}, enablePurgeProtection: true }), expect: "fail" },
    { name: "no properties", props: { resourceGroupName: "rg" }, expect: "fail" },
    { name: "properties as an array", props: { properties: [] }, expect: "fail" },
    { name: "purge protection unknown", props: vault({ enablePurgeProtection: UNKNOWN_BOOL }), expect: "na", match: [/unknown during preview; checked at update/] },
    { name: "properties unknown", props: { properties: UNKNOWN_OBJECT }, expect: "na" },
    { name: "soft delete unknown, purge protection false: violation", props: vault({ enableSoftDelete: UNKNOWN_BOOL, enablePurgeProtection: false }), expect: "fail" },
    { name: "other type", type: "azure-native:keyvault:Key", props: {}, expect: "na" },
];

describe("azure-keyvault-soft-delete-purge-protection rule", () => {
    runCases("cases", VAULT_TYPE, cases, checkSoftDeletePurgeProtection);
    neverThrows(VAULT_TYPE, ["properties", "enableSoftDelete", "enablePurgeProtection"], checkSoftDeletePurgeProtection);
});
