// fast-check arbitraries for hostile property trees, shaped like the Analyzer wire: deep nesting, arrays of mixed
// types, wrong scalar types, all seven unknown sentinels, secret wrappers at any depth, JSON (valid or not) held in
// strings, odd keys, and (rarely) strings of up to 1 MB. Plus helpers to plant a secret at a chosen place, wrap
// random nodes in secrets, and sprinkle unknowns away from a path.
import * as fc from "fast-check";
import {
    ARCHIVE_SIG, ASSET_SIG, isPlainObject, PathSeg, RESOURCE_REF_SIG, SECRET_SIG, SIG_KEY, UNKNOWN_ARCHIVE, UNKNOWN_ARRAY,
    UNKNOWN_ASSET, UNKNOWN_BOOL, UNKNOWN_NUMBER, UNKNOWN_OBJECT, UNKNOWN_STRING, Wire, WireObject,
} from "../../policies/lib/wire";
import { FORMAT_FAKES, keyNameFake, placeholderFake, Planted, Rand, seeded } from "./fakes";

export const UNKNOWNS = [UNKNOWN_BOOL, UNKNOWN_NUMBER, UNKNOWN_STRING, UNKNOWN_ARRAY, UNKNOWN_ASSET, UNKNOWN_ARCHIVE, UNKNOWN_OBJECT];

export const secret = (value: Wire): Wire => ({ [SIG_KEY]: SECRET_SIG, value });

/** Keys the rules read, so random trees reach deep into rule logic rather than stopping at the first lookup. */
export const RULE_KEYS = [
    "accessPolicies", "action", "address", "attributes", "createMode", "defaultAction", "enableKeyRotation", "enablePurgeProtection",
    "enableRbacAuthorization", "enableSoftDelete", "expires", "expiryTime", "keyUsage", "kmsKeyId", "lifetimeActions", "networkAcls",
    "origin", "permissions", "properties", "protectionLevel", "publicNetworkAccess", "purpose", "resourceGroupName", "rotationPeriod",
    "rotationPeriodInDays", "rotationPolicy", "timeAfterCreate", "timeBeforeExpiry", "trigger", "type", "vaultName", "versionTemplate",
    "autoRotatePeriod", "autoRotateInterval", "exportable", "allowPlaintextBackup", "skipTlsVerify", "keys", "secrets", "certificates",
    "customerMasterKeySpec", "keySpec", "multiRegion", "algorithm", "tenantId", "objectId", "vaultUri", "name", "id", "tags",
    "token", "password", "apiKey", "clientSecret", "secretString", "dataJson", "value", "connectionString", "description",
];

/** Keys that are hard on code: empty, unicode, prototype names, path-like, the JSON marker, very long. */
export const ODD_KEYS = [
    "", " ", "__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf", "__defineGetter__",
    "ключ", "パスワード", "🔑", "a.b", "[0]", "0", "-1", "\u0000json", "\u0000", "\n", "key with spaces", "${x}",
    "x".repeat(300), "p".repeat(70) + "assword",
];

export const keyArb: fc.Arbitrary<string> = fc.oneof(
    { arbitrary: fc.constantFrom(...RULE_KEYS), weight: 6 },
    { arbitrary: fc.constantFrom(...ODD_KEYS), weight: 2 },
    { arbitrary: fc.string({ maxLength: 12 }), weight: 1 },
    { arbitrary: fc.string({ unit: "grapheme", maxLength: 8 }), weight: 1 },
);

const MB = 1024 * 1024;

/** Strings the rules compare against, so values are often "almost right". */
const NEAR_VALUES = [
    "true", "false", "True", "0", "-1", "1e309", "NaN", "90", "365", "P90D", "P1Y", "p2y", "PT1H", "P", "PT", "P1Y2M3W4DT5H6M7.5S",
    "7776000s", "86400.5s", "s", "24h", "1h30m", "30d", "Rotate", "rotate", "Notify", "Deny", "Allow", "Disabled", "Enabled",
    "ENCRYPT_DECRYPT", "SIGN_VERIFY", "SYMMETRIC_DEFAULT", "ENCRYPTION", "SOFTWARE", "HSM", "EXTERNAL", "AWS_KMS", "recover",
    "alias/aws/secretsmanager", "alias/my-key", "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "http://10.0.0.1:8200", "http://127.0.0.1:8200", "http://[::1]:8200", "https://vault.example.com", "http://", "://", "http://[::ffff:127.0.0.1]",
    "get", "list", "all", "/subscriptions/x/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/v", "changeme", "your-token",
];

/** JSON held in a string: valid documents (which the walkers enter) and broken ones (which they must not trip on). */
const INVALID_JSON = ['{"a":', "[1,2", '{"password": "x"', "{}}", "[[[[", '{"a":1,}', "{'a': 1}", '{"\\ud800": 1}', "[" + "[".repeat(500), "{\"k\":\"\\u00\"}"];

function bigString(): fc.Arbitrary<string> {
    return fc.constantFrom(
        () => "a".repeat(MB),
        () => "AKIA".repeat(MB / 4),
        () => "sk-" + "a".repeat(MB - 3),
        () => "-----BEGIN PRIVATE KEY-----\n" + "A".repeat(MB),
        () => "[".repeat(MB / 2) + "]".repeat(MB / 2),
        () => JSON.stringify({ password: "x".repeat(MB) }),
        () => "eyJhbGciOi.".repeat(MB / 11),
        () => "P" + "1".repeat(MB),
    ).map((f) => f());
}

export interface TreeOptions {
    /** Objects with the signature key and random or malformed signatures (the engine never sends these; pure tests do). */
    rawSignatures?: boolean;
    /** Weight of 1 MB strings among string leaves (0 to disable). Default 1 in ~2000. */
    bigWeight?: number;
}

export function stringArb(opts: TreeOptions = {}, inner?: fc.Arbitrary<Wire>): fc.Arbitrary<string> {
    // Weights are integers: 100 per unit, so a 1 MB string is about 1 string leaf in 6,000 by default.
    const parts: fc.WeightedArbitrary<string>[] = [
        { arbitrary: fc.string({ maxLength: 20 }), weight: 2000 },
        { arbitrary: fc.string({ unit: "grapheme", maxLength: 12 }), weight: 500 },
        { arbitrary: fc.constantFrom(...NEAR_VALUES), weight: 2000 },
        { arbitrary: fc.constantFrom(...UNKNOWNS), weight: 1000 },
        { arbitrary: fc.constantFrom(...INVALID_JSON), weight: 300 },
    ];
    if (inner) parts.push({ arbitrary: inner.map((v) => JSON.stringify(v) ?? "null"), weight: 600 });
    const big = opts.bigWeight ?? 1;
    if (big > 0) parts.push({ arbitrary: bigString(), weight: big });
    return fc.oneof(...parts);
}

function objectOf(entries: [string, Wire][]): WireObject {
    // Object.fromEntries defines own properties, so "__proto__" is a key like any other (as JSON.parse makes it).
    return Object.fromEntries(entries) as WireObject;
}

function sigObjects(tree: fc.Arbitrary<Wire>): fc.Arbitrary<Wire> {
    return fc.oneof(
        fc.record({ urn: fc.string(), id: fc.oneof(fc.string(), fc.constant(UNKNOWN_STRING)) }).map((r) => ({ [SIG_KEY]: RESOURCE_REF_SIG, ...r })),
        fc.constant<Wire>({ [SIG_KEY]: ASSET_SIG, text: "hello" }),
        fc.constant<Wire>({ [SIG_KEY]: ARCHIVE_SIG, assets: {} }),
        fc.tuple(fc.string(), tree).map(([sig, v]) => ({ [SIG_KEY]: sig, value: v })),
        fc.constant<Wire>({ [SIG_KEY]: SECRET_SIG }),
        fc.constant<Wire>({ [SIG_KEY]: 42 }),
    );
}

/** Random wire trees. */
export function treeArb(opts: TreeOptions = {}): fc.Arbitrary<Wire> {
    const { tree } = fc.letrec<{ tree: Wire; leaf: Wire }>((tie) => {
        const leaf = fc.oneof(
            { arbitrary: fc.constant(null), weight: 2 },
            { arbitrary: fc.boolean(), weight: 3 },
            { arbitrary: fc.double(), weight: 2 },
            { arbitrary: fc.integer({ min: -100000, max: 10000000 }), weight: 3 },
            { arbitrary: stringArb(opts, tie("tree")), weight: 12 },
        );
        const nodes: fc.WeightedArbitrary<Wire>[] = [
            { arbitrary: leaf, weight: 10 },
            { arbitrary: fc.array(tie("tree"), { maxLength: 4 }), weight: 3 },
            { arbitrary: fc.array(fc.tuple(keyArb, tie("tree")), { maxLength: 5 }).map(objectOf), weight: 5 },
            { arbitrary: tie("tree").map(secret), weight: 2 },
        ];
        if (opts.rawSignatures) nodes.push({ arbitrary: sigObjects(tie("tree")), weight: 1 });
        return {
            leaf,
            tree: fc.oneof({ depthSize: "small", maxDepth: 6 }, ...nodes),
        };
    });
    return tree;
}

/** A deep chain (arrays, objects and secret wrappers) around a value: tests recursion limits. */
export function deepen(v: Wire, depth: number, rand: Rand): Wire {
    let cur = v;
    for (let i = 0; i < depth; i++) {
        const k = rand(3);
        cur = k === 0 ? [cur] : k === 1 ? { [RULE_KEYS[rand(RULE_KEYS.length)]]: cur } : secret(cur);
    }
    return cur;
}

/** Props: an object at the root (as the engine always sends). */
export function propsArb(opts: TreeOptions = {}): fc.Arbitrary<WireObject> {
    const t = treeArb(opts);
    const base = fc.array(fc.tuple(keyArb, t), { maxLength: 8 }).map(objectOf);
    return fc.oneof(
        { arbitrary: base, weight: 20 },
        { arbitrary: fc.tuple(base, keyArb, t, fc.integer({ min: 200, max: 700 }), fc.integer()).map(([b, k, v, d, s]) => ({ ...b, [k]: deepen(v, d, seeded(s)) })), weight: 1 },
    );
}

/** Every object node reachable through plain objects and arrays (not through signature objects), with its path. */
function objectNodes(root: WireObject, avoidInternalKeys: boolean): { node: WireObject; path: PathSeg[] }[] {
    const out: { node: WireObject; path: PathSeg[] }[] = [];
    const stack: { v: Wire; path: PathSeg[] }[] = [{ v: root, path: [] }];
    while (stack.length) {
        const { v, path } = stack.pop()!;
        if (path.length > 150) continue;
        if (Array.isArray(v)) {
            v.forEach((e, i) => stack.push({ v: e, path: [...path, i] }));
        } else if (isPlainObject(v)) {
            if (SIG_KEY in v) continue;
            out.push({ node: v, path });
            for (const k of Object.keys(v)) {
                if (avoidInternalKeys && k.startsWith("__")) continue;
                stack.push({ v: v[k], path: [...path, k] });
            }
        }
    }
    return out;
}

export interface Plant {
    planted: Planted;
    /** Where the planted string sits (top-level key first). */
    path: PathSeg[];
    /** Wrapped in a JSON document held in a string (the path then goes through the JSON marker). */
    inJson: boolean;
    /** How many leading segments of `path` are wire structure (the rest is inside the JSON document). */
    wireLength: number;
}

export const KEY_KINDS: ReadonlySet<string> = new Set(["secret-key-name", "placeholder", "schema-secret-input"]);

const PLANT_KEYS = ["settings", "env", "userData", "config", "extra", "labels"];

/**
 * Plants `planted` under a fresh key of a random object node of a deep copy of `props`, as the string itself or
 * inside a JSON document held in a string. Keys starting with "__" are avoided when the tree goes over the wire
 * (the engine drops them). Returns the new props and where the secret went.
 */
export function plant(props: WireObject, planted: Planted, rand: Rand, opts: { wire?: boolean } = {}): { props: WireObject; plant: Plant } {
    const copy = clone(props) as WireObject;
    const nodes = objectNodes(copy, !!opts.wire);
    const { node, path } = nodes[rand(nodes.length)];
    // Key-name detectors need the secret-bearing key itself; format detectors find the value under any key.
    const keyKind = KEY_KINDS.has(planted.detector);
    let key = keyKind ? planted.key : `${PLANT_KEYS[rand(PLANT_KEYS.length)]}${rand(1000)}`;
    while (!keyKind && Object.prototype.hasOwnProperty.call(node, key)) key += "x";
    const inJson = !keyKind && rand(3) === 0;
    const innerKey = planted.key;
    node[key] = inJson ? JSON.stringify({ note: "planted", [innerKey]: planted.value }) : planted.value;
    const full: PathSeg[] = inJson ? [...path, key, "\u0000json", innerKey] : [...path, key];
    return { props: copy, plant: { planted, path: full, inJson, wireLength: path.length + 1 } };
}

/** Deep copy of a wire tree (own keys only, "__proto__" kept as an own key). */
export function clone(v: Wire): Wire {
    if (Array.isArray(v)) return v.map(clone);
    if (isPlainObject(v)) return objectOf(Object.keys(v).map((k) => [k, clone(v[k])]));
    return v;
}

/** Wraps random non-root nodes in secret wrappers (sometimes twice); the root object stays an object. */
export function wrapSecrets(props: WireObject, rand: Rand, rate = 4): WireObject {
    const go = (v: Wire): Wire => {
        let out: Wire;
        if (Array.isArray(v)) out = v.map(go);
        else if (isPlainObject(v)) out = objectOf(Object.keys(v).map((k) => [k, SIG_KEY in v ? clone(v[k]) : go(v[k])]));
        else out = v;
        if (rand(rate) === 0) out = secret(out);
        if (rand(rate * 8) === 0) out = secret(out);
        return out;
    };
    return objectOf(Object.keys(props).map((k) => [k, go(props[k])]));
}

/**
 * Replaces random nodes with unknown sentinels, except on the way to `keep` (its ancestors and the value itself):
 * the value at `keep` stays known.
 */
export function sprinkleUnknowns(props: WireObject, wirePath: PathSeg[], rand: Rand, rate = 4): WireObject {
    const go = (v: Wire, path: PathSeg[]): Wire => {
        const onPath = path.length <= wirePath.length && path.every((s, i) => s === wirePath[i]);
        if (!onPath && rand(rate) === 0) return UNKNOWNS[rand(UNKNOWNS.length)];
        if (Array.isArray(v)) return v.map((e, i) => go(e, [...path, i]));
        if (isPlainObject(v)) {
            if (SIG_KEY in v && v[SIG_KEY] !== SECRET_SIG) return clone(v);
            if (SIG_KEY in v) return { [SIG_KEY]: SECRET_SIG, value: go(v.value as Wire, path) };
            return objectOf(Object.keys(v).map((k) => [k, go(v[k], [...path, k])]));
        }
        return v;
    };
    return go(props, []) as WireObject;
}

/** A planted credential of any kind, drawn reproducibly from a seed. */
export function plantedArb(): fc.Arbitrary<Planted> {
    const ids = Object.keys(FORMAT_FAKES);
    return fc.tuple(fc.integer({ min: 0, max: ids.length + 1 }), fc.integer()).map(([i, s]) => {
        const r = seeded(s);
        if (i < ids.length) return FORMAT_FAKES[ids[i]](r);
        return i === ids.length ? keyNameFake(r) : placeholderFake();
    });
}
