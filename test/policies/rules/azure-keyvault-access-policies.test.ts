import * as assert from "assert";
import * as fc from "fast-check";
import { ACCESS_POLICY_TYPE, CLASSIC_ACCESS_POLICY_TYPE, checkVaultAccessPolicies, VAULT_TYPE } from "../../../policies/rules/azure-keyvault-access-policies";
import { StackSubject } from "../../../policies/lib/rule";
import { Wire, WireObject } from "../../../policies/lib/wire";
import { messages, secret, stackSubject, UNKNOWN_ARRAY, UNKNOWN_BOOL, UNKNOWN_OBJECT, UNKNOWN_STRING, urnOf, verdict, wireArb, Expect } from "../../helpers/rule-cases";

const TENANT = "00000000-0000-0000-0000-000000000000";
const OBJECT_ID = "11111111-1111-1111-1111-111111111111";
const ROOT = stackSubject("pulumi:pulumi:Stack", "ml-dev", {});
const RG = stackSubject("azure-native:resources:ResourceGroup", "rg", { resourceGroupName: "rg-ml" });
const VAULT_URN = urnOf(VAULT_TYPE, "kv");
const OTHER_URN = urnOf(VAULT_TYPE, "other");
const RG_URN = urnOf("azure-native:resources:ResourceGroup", "rg");
const SUFFIX_URN = urnOf("random:index/randomString:RandomString", "suffix");
const VAULT_ID = "/subscriptions/0000/resourceGroups/rg-ml/providers/Microsoft.KeyVault/vaults/kv-ml";

const entry = (permissions: Wire): Wire => ({ tenantId: TENANT, objectId: OBJECT_ID, permissions });

function vault(props: WireObject, name = "kv"): StackSubject {
    return stackSubject(VAULT_TYPE, name, { resourceGroupName: "rg-ml", vaultName: "kv-ml", ...props });
}
function vaultProps(p: WireObject): WireObject {
    return { properties: { tenantId: TENANT, sku: { family: "A", name: "standard" }, ...p } };
}
function accessPolicy(props: WireObject, deps: Record<string, string[]> = {}, name = "ap"): StackSubject {
    return stackSubject(ACCESS_POLICY_TYPE, name, props, deps);
}
function classicAccessPolicy(props: WireObject, deps: Record<string, string[]> = {}, name = "classic-ap"): StackSubject {
    return stackSubject(CLASSIC_ACCESS_POLICY_TYPE, name, { tenantId: TENANT, objectId: OBJECT_ID, ...props }, deps);
}
/** The vault "other", with RBAC: a standalone AccessPolicy for it must not hide an empty "kv". */
const OTHER = stackSubject(VAULT_TYPE, "other", { resourceGroupName: "rg-ml", vaultName: UNKNOWN_STRING, ...vaultProps({ enableRbacAuthorization: true }) });

interface StackCase { name: string; resources: StackSubject[]; expect: Expect; match?: RegExp[]; count?: number }

const cases: StackCase[] = [
    { name: "RBAC authorization", resources: [ROOT, RG, vault(vaultProps({ enableRbacAuthorization: true }))], expect: "pass" },
    { name: "RBAC as the string 'true'", resources: [vault(vaultProps({ enableRbacAuthorization: "true" }))], expect: "pass" },
    { name: "inline access policies", resources: [vault(vaultProps({ accessPolicies: [entry({ secrets: ["get"] })] }))], expect: "pass" },
    { name: "secret-wrapped inline access policies", resources: [vault(vaultProps({ accessPolicies: secret([entry({ keys: ["get"] })]) }))], expect: "pass" },
    { name: "recovered vault", resources: [vault(vaultProps({ createMode: "recover" }))], expect: "na", match: [/recover/] },
    {
        name: "standalone AccessPolicy by name and resource group",
        resources: [vault(vaultProps({})), accessPolicy({ vaultName: "kv-ml", resourceGroupName: "rg-ml", policy: entry({ secrets: ["get", "list"] }) })],
        expect: "pass",
    },
    {
        name: "standalone AccessPolicy matching the vault's output name, case-insensitively",
        resources: [stackSubject(VAULT_TYPE, "kv", { name: "KV-ML", ...vaultProps({}) }), accessPolicy({ vaultName: "kv-ml", policy: entry({ keys: ["get"] }) })],
        expect: "pass",
    },
    {
        name: "standalone AccessPolicy depending on the vault (vaultName unknown in preview)",
        resources: [vault(vaultProps({})), accessPolicy({ vaultName: UNKNOWN_STRING, policy: entry({ certificates: ["get"] }) }, { vaultName: [VAULT_URN] })],
        expect: "pass",
    },
    {
        name: "standalone AccessPolicy under accessPolicy, secret-wrapped",
        resources: [vault(vaultProps({})), accessPolicy({ vaultName: "kv-ml", accessPolicy: secret(entry({ storage: ["get"] })) })],
        expect: "pass",
    },
    { name: "no access model", resources: [ROOT, RG, vault(vaultProps({}))], expect: "fail", count: 1, match: [/Key Vault 'kv' has no access model/, /accessPolicies is not set/, /enableRbacAuthorization: true/] },
    { name: "empty access policies, RBAC false", resources: [vault(vaultProps({ accessPolicies: [], enableRbacAuthorization: false }))], expect: "fail", match: [/accessPolicies is empty/, /enableRbacAuthorization is false/] },
    { name: "access policies as an object", resources: [vault(vaultProps({ accessPolicies: entry({ keys: ["get"] }) }))], expect: "fail", match: [/not a list/] },
    { name: "RBAC as a number", resources: [vault(vaultProps({ enableRbacAuthorization: 1 }))], expect: "fail", match: [/not a boolean/] },
    { name: "properties as an array", resources: [vault({ properties: [] })], expect: "fail" },
    {
        name: "standalone AccessPolicy for another vault",
        resources: [vault(vaultProps({})), accessPolicy({ vaultName: "kv-other", policy: entry({ secrets: ["get"] }) })],
        expect: "fail",
    },
    {
        name: "standalone AccessPolicy in another resource group",
        resources: [vault(vaultProps({})), accessPolicy({ vaultName: "kv-ml", resourceGroupName: "rg-other", policy: entry({ secrets: ["get"] }) })],
        expect: "fail",
    },
    {
        name: "standalone AccessPolicy with no permissions",
        resources: [vault(vaultProps({})), accessPolicy({ vaultName: "kv-ml", policy: entry({ keys: [], secrets: [] }) })],
        expect: "fail",
    },
    {
        name: "standalone AccessPolicy with malformed policy",
        resources: [vault(vaultProps({})), accessPolicy({ vaultName: "kv-ml", policy: ["get"] as never })],
        expect: "fail",
    },
    {
        name: "two vaults: the bad one is reported with its urn",
        resources: [vault(vaultProps({ enableRbacAuthorization: true }), "good"), vault(vaultProps({}), "bad")],
        expect: "fail", count: 1,
    },
    { name: "RBAC unknown", resources: [vault(vaultProps({ enableRbacAuthorization: UNKNOWN_BOOL }))], expect: "na", match: [/unknown during preview; checked at update/] },
    { name: "inline policies unknown", resources: [vault(vaultProps({ accessPolicies: UNKNOWN_ARRAY }))], expect: "na" },
    { name: "properties unknown", resources: [vault({ properties: UNKNOWN_OBJECT })], expect: "na" },
    {
        name: "AccessPolicy vaultName unknown without dependencies",
        resources: [vault(vaultProps({})), accessPolicy({ vaultName: UNKNOWN_STRING, policy: entry({ keys: ["get"] }) })],
        expect: "na",
    },
    {
        name: "AccessPolicy permissions unknown",
        resources: [vault(vaultProps({})), accessPolicy({ vaultName: "kv-ml", policy: { tenantId: TENANT, objectId: OBJECT_ID, permissions: UNKNOWN_OBJECT } })],
        expect: "na",
    },
    {
        name: "preview: an AccessPolicy whose vaultName is another vault's output does not hide an empty vault",
        resources: [vault(vaultProps({})), OTHER, accessPolicy({ vaultName: UNKNOWN_STRING, policy: entry({ secrets: ["get"] }) }, { vaultName: [OTHER_URN] })],
        expect: "fail", count: 1, match: [/Key Vault 'kv' has no access model/],
    },
    {
        name: "preview: an AccessPolicy whose vaultName comes only from resources the vault's name does not come from",
        resources: [vault(vaultProps({})), accessPolicy({ vaultName: UNKNOWN_STRING, policy: entry({ secrets: ["get"] }) }, { vaultName: [SUFFIX_URN] })],
        expect: "fail", count: 1,
    },
    {
        name: "preview: an AccessPolicy whose vaultName shares a source with the vault's name may target it",
        resources: [
            stackSubject(VAULT_TYPE, "kv", { resourceGroupName: "rg-ml", vaultName: UNKNOWN_STRING, ...vaultProps({}) }, { vaultName: [SUFFIX_URN] }),
            accessPolicy({ vaultName: UNKNOWN_STRING, policy: entry({ secrets: ["get"] }) }, { vaultName: [SUFFIX_URN] }),
        ],
        expect: "na", match: [/unknown during preview/],
    },
    {
        name: "preview: two vaults, the AccessPolicy targets the empty one through its dependencies",
        resources: [vault(vaultProps({})), OTHER, accessPolicy({ vaultName: UNKNOWN_STRING, policy: entry({ keys: ["get"] }) }, { vaultName: [VAULT_URN] })],
        expect: "pass",
    },
    {
        name: "classic AccessPolicy: keyVaultId depends on the vault (unknown in preview)",
        resources: [vault(vaultProps({})), classicAccessPolicy({ keyVaultId: UNKNOWN_STRING, secretPermissions: ["Get"] }, { keyVaultId: [VAULT_URN] })],
        expect: "pass",
    },
    {
        name: "classic AccessPolicy: keyVaultId is the vault's resource id",
        resources: [vault(vaultProps({})), classicAccessPolicy({ keyVaultId: VAULT_ID, keyPermissions: ["Get", "WrapKey"] })],
        expect: "pass",
    },
    {
        name: "classic AccessPolicy: keyVaultId of another vault",
        resources: [vault(vaultProps({})), classicAccessPolicy({ keyVaultId: VAULT_ID.replace("kv-ml", "kv-other"), keyPermissions: ["Get"] })],
        expect: "fail",
    },
    {
        name: "classic AccessPolicy: keyVaultId unknown, from another vault",
        resources: [vault(vaultProps({})), OTHER, classicAccessPolicy({ keyVaultId: UNKNOWN_STRING, keyPermissions: ["Get"] }, { keyVaultId: [OTHER_URN] })],
        expect: "fail", count: 1,
    },
    {
        name: "classic AccessPolicy: keyVaultId built from the vault's resource group may target it",
        resources: [
            stackSubject(VAULT_TYPE, "kv", { resourceGroupName: UNKNOWN_STRING, vaultName: "kv-ml", ...vaultProps({}) }, { resourceGroupName: [RG_URN] }),
            classicAccessPolicy({ keyVaultId: UNKNOWN_STRING, secretPermissions: ["Get"] }, { keyVaultId: [RG_URN] }),
        ],
        expect: "na",
    },
    {
        name: "classic AccessPolicy: no permissions",
        resources: [vault(vaultProps({})), classicAccessPolicy({ keyVaultId: VAULT_ID, keyPermissions: [], secretPermissions: [] })],
        expect: "fail",
    },
    {
        name: "classic AccessPolicy: permissions unknown",
        resources: [vault(vaultProps({})), classicAccessPolicy({ keyVaultId: VAULT_ID, secretPermissions: UNKNOWN_ARRAY })],
        expect: "na",
    },
    {
        name: "classic AccessPolicy: malformed keyVaultId",
        resources: [vault(vaultProps({})), classicAccessPolicy({ keyVaultId: "kv-ml", secretPermissions: ["Get"] })],
        expect: "fail",
    },
    { name: "no vaults", resources: [ROOT, RG, accessPolicy({ vaultName: "kv-ml" })], expect: "na", match: [/no azure-native:keyvault:Vault/] },
    { name: "empty stack", resources: [], expect: "na" },
];

describe("azure-keyvault-access-policies rule", () => {
    for (const c of cases) {
        it(`${c.expect}: ${c.name}`, () => {
            const o = checkVaultAccessPolicies(c.resources);
            assert.strictEqual(verdict(o), c.expect, JSON.stringify(o));
            const texts = "notApplicable" in o ? [o.notApplicable] : messages(o);
            for (const re of c.match ?? []) assert.ok(texts.some((t) => re.test(t)), `${re} in ${JSON.stringify(texts)}`);
            if (c.count !== undefined) assert.strictEqual(messages(o).length, c.count);
            if (c.expect === "fail") {
                const fs = (o as { findings: { urn?: string }[] }).findings;
                for (const f of fs) assert.ok(c.resources.some((r) => r.type === VAULT_TYPE && r.urn === f.urn), "finding carries a vault urn");
            }
        });
    }

    it("reports the failing vault's urn, not the compliant one's", () => {
        const o = checkVaultAccessPolicies([vault(vaultProps({ enableRbacAuthorization: true }), "good"), vault(vaultProps({}), "bad")]);
        assert.deepStrictEqual((o as { findings: { urn?: string }[] }).findings.map((f) => f.urn), [urnOf(VAULT_TYPE, "bad")]);
    });

    it("never throws on arbitrary vault and AccessPolicy shapes (fast-check)", () => {
        const keys = ["properties", "accessPolicies", "enableRbacAuthorization", "createMode", "vaultName", "name", "resourceGroupName", "policy", "accessPolicy", "permissions", "keys", "secrets"];
        const props = fc.dictionary(fc.constantFrom(...keys), wireArb(keys), { maxKeys: 5 });
        fc.assert(fc.property(props, props, fc.boolean(), (v, ap, dep) => {
            const o = checkVaultAccessPolicies([
                stackSubject(VAULT_TYPE, "kv", v as WireObject),
                accessPolicy(ap as WireObject, dep ? { vaultName: [VAULT_URN] } : {}),
            ]);
            assert.ok(["pass", "fail", "na"].includes(verdict(o)));
        }), { numRuns: 400 });
    });

    it("survives a malformed resources list", () => {
        assert.strictEqual(verdict(checkVaultAccessPolicies(undefined as never)), "na");
        assert.strictEqual(verdict(checkVaultAccessPolicies([null as never, vault(vaultProps({ enableRbacAuthorization: true }))])), "pass");
    });
});
