// One random operation: a few resources of applicable and random types (one of them carrying a planted secret),
// a root pulumi:pulumi:Stack with random exports, random property dependencies, random policy config and stack config.
import * as fc from "fast-check";
import { StackConfigView, StackSubject } from "../../policies/lib/rule";
import { PathSeg, WireObject } from "../../policies/lib/wire";
import { KEY_KINDS, plant, Plant, plantedArb, propsArb, TreeOptions } from "./arbitraries";
import { Planted, seeded } from "./fakes";
import { APPLICABLE_TYPES, HARNESS, METAS, ROOT_TYPE } from "./harness";

export const PROJECT = "fuzz";
export const STACK = "dev";
export const ROOT_URN = `urn:pulumi:${STACK}::${PROJECT}::${ROOT_TYPE}::${PROJECT}-${STACK}`;

const OTHER_TYPES = ["aws:s3/bucket:Bucket", "aws:ssm/parameter:Parameter", "vault:kv/secretV2:SecretV2", "random:index/randomPassword:RandomPassword", "mlsg:test:Component"];

export const typeArb: fc.Arbitrary<string> = fc.oneof(
    { arbitrary: fc.constantFrom(...APPLICABLE_TYPES), weight: 6 },
    { arbitrary: fc.constantFrom(...OTHER_TYPES), weight: 2 },
    { arbitrary: fc.string({ minLength: 1, maxLength: 30 }).filter((s) => !s.includes("::")), weight: 1 },
);

/** Config values that never explain a planted secret (nothing of 6+ characters that could occur inside one). */
const BENIGN_CONFIG: [string, string][] = [["aws:region", "us-west-2"], [`${PROJECT}:model`, "fraud-detector"], [`${PROJECT}:retries`, "3"], [`${PROJECT}:flag`, "true"], [`${PROJECT}:settings`, '{"retries":3}']];

export interface Scenario {
    resources: StackSubject[];
    /** The resource carrying the planted secret, and where. */
    target: StackSubject;
    plant: Plant;
    planted: Planted;
    rawConfigs: Record<string, unknown>;
    stackConfig: StackConfigView;
    /** The planted value is also a stack config value (so rules may call it config-derived). */
    plantedInConfig: boolean;
    /** Every policy runs with defaults and the config never explains the planted value. */
    plain: boolean;
    seed: number;
}

/** Random policy config: mostly nothing, sometimes values for each schema field (valid or not), sometimes junk. */
function rawConfigArb(): fc.Arbitrary<Record<string, unknown>> {
    const entries = [...METAS.values()].map((meta) => {
        const fields = Object.keys(meta.configSchema.properties).concat(["internalErrorLevel"]);
        const value = fc.oneof(
            { arbitrary: fc.constant(undefined), weight: 6 },
            {
                arbitrary: fc.dictionary(fc.constantFrom(...fields), fc.oneof(
                    fc.integer({ min: -10, max: 10000000 }), fc.double(), fc.string(), fc.boolean(), fc.constant(null),
                    fc.constantFrom("P30D", "P1Y", "PT1H", "advisory", "mandatory", "x"),
                    fc.array(fc.oneof(fc.string(), fc.record({ urn: fc.constantFrom("*", "urn:*Bucket*"), path: fc.constantFrom("*", "tags.*"), reason: fc.string() }),
                        fc.record({ id: fc.constantFrom("corp-token", "Bad Id"), pattern: fc.constantFrom("corp_[a-z0-9]{20}", "(", "(a+)+$", "x{1,3}") })), { maxLength: 3 }),
                ), { maxKeys: 3 }),
                weight: 3,
            },
            { arbitrary: fc.oneof(fc.string(), fc.integer(), fc.array(fc.integer(), { maxLength: 2 })), weight: 1 },
        );
        return [meta.name, value] as const;
    });
    return fc.record(Object.fromEntries(entries) as Record<string, fc.Arbitrary<unknown>>);
}

export interface ScenarioOptions extends TreeOptions {
    /** Resource names and keys safe for the wire (the engine drops "__" keys; URNs are strings). */
    wire?: boolean;
    /** Only scenarios where every policy runs with defaults and config cannot explain the planted value. */
    plainOnly?: boolean;
}

export function scenarioArb(opts: ScenarioOptions = {}): fc.Arbitrary<Scenario> {
    const props = propsArb(opts);
    const resourceArb = fc.tuple(typeArb, props, fc.boolean());
    return fc.record({
        resources: fc.array(resourceArb, { minLength: 1, maxLength: 4 }),
        exports: props,
        targetIndex: fc.nat(),
        planted: plantedArb(),
        seed: fc.integer(),
        rawConfigs: opts.plainOnly ? fc.constant<Record<string, unknown>>({}) : fc.oneof(fc.constant<Record<string, unknown>>({}), rawConfigArb()),
        configMode: opts.plainOnly ? fc.constant(0) : fc.integer({ min: 0, max: 4 }),
        extraConfig: fc.array(fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), fc.string({ maxLength: 12 }), fc.boolean()), { maxLength: 3 }),
        depsMask: fc.array(fc.nat(), { maxLength: 4 }),
    }).map((g) => {
        const rand = seeded(g.seed);
        const subjects: StackSubject[] = g.resources.map(([type, p, withProvider], i) => {
            const name = `res${i}`;
            const s: StackSubject = { type, urn: `urn:pulumi:${STACK}::${PROJECT}::${type}::${name}`, name, props: p, dependencies: [], propertyDependencies: {}, parent: ROOT_URN };
            if (withProvider) s.provider = { type: "pulumi:providers:vault", urn: `urn:pulumi:${STACK}::${PROJECT}::pulumi:providers:vault::prov${i}`, name: `prov${i}`, props: { address: "http://10.1.2.3:8200" } };
            return s;
        });
        const t = g.targetIndex % subjects.length;
        const planted = plant(subjects[t].props, g.planted, rand, { wire: opts.wire });
        subjects[t] = { ...subjects[t], props: planted.props };
        // Random property dependencies between resources, never on the planted property of the target.
        g.depsMask.forEach((m, i) => {
            const s = subjects[i % subjects.length];
            const keys = Object.keys(s.props);
            if (!keys.length) return;
            const k = keys[m % keys.length];
            if (s === subjects[t] && k === String(planted.plant.path[0])) return;
            const other = subjects[(i + 1) % subjects.length];
            if (other !== s) {
                s.propertyDependencies[k] = [other.urn];
                s.dependencies.push(other.urn);
            }
        });
        const root: StackSubject = { type: ROOT_TYPE, urn: ROOT_URN, name: `${PROJECT}-${STACK}`, props: g.exports as WireObject, dependencies: [], propertyDependencies: {} };
        // Config: 0 benign; 1 benign + random; 2 planted value in plaintext config; 3 planted value as secret config; 4 unavailable.
        const values = new Map<string, string>(BENIGN_CONFIG);
        const secretKeys = new Set<string>();
        if (g.configMode === 1) for (const [k, v, sec] of g.extraConfig) {
            values.set(`${PROJECT}:${k}`, v);
            if (sec) secretKeys.add(`${PROJECT}:${k}`);
        }
        if (g.configMode === 2 || g.configMode === 3) values.set(`${PROJECT}:planted`, g.planted.value);
        if (g.configMode === 3) secretKeys.add(`${PROJECT}:planted`);
        const stackConfig: StackConfigView = { available: g.configMode !== 4, values: g.configMode === 4 ? new Map() : values, secretKeys, dryRun: true };
        const plain = g.configMode === 0 && Object.keys(g.rawConfigs).every((k) => g.rawConfigs[k] === undefined);
        return {
            resources: [root, ...subjects],
            target: subjects[t],
            plant: planted.plant,
            planted: g.planted,
            rawConfigs: g.rawConfigs,
            stackConfig,
            plantedInConfig: g.configMode === 2 || g.configMode === 3,
            plain,
            seed: g.seed,
        };
    });
}

/** Where key-name detection is off by design (permission lists name permissions, not secrets). */
const PERMISSION_CONTAINERS = new Set(["permissions", "actions", "notactions", "dataactions", "notdataactions", "capabilities", "scopes", "privileges", "grants"]);

/** Should no-hardcoded-secrets report the planted value as hard-coded? */
export function plantIsExpected(s: Scenario): boolean {
    if (!s.plain || !s.planted.detector) return false;
    if (KEY_KINDS.has(s.planted.detector)) {
        return !s.plant.path.some((seg: PathSeg) => typeof seg === "string" && PERMISSION_CONTAINERS.has(seg.toLowerCase()));
    }
    return true;
}

export { HARNESS };
