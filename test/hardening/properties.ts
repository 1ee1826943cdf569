// The hardening properties over every policy's pure logic. Shared by the mocha suite (a few thousand cases, fixed
// seed) and `npm run fuzz` (100,000+ cases).
import * as fc from "fast-check";
import { isSecretStoreType } from "../../policies/detection/provenance";
import { formatPath, SECRET_SIG, SIG_KEY, WireObject } from "../../policies/lib/wire";
import { StackSubject } from "../../policies/lib/rule";
import { clone, sprinkleUnknowns, wrapSecrets } from "./arbitraries";
import { leakOffset } from "../helpers/secrets";
import { FORMAT_FAKES, keyNameFake, seeded } from "./fakes";
import { Emitted, runAll } from "./harness";
import { plantIsExpected, Scenario, scenarioArb } from "./scenario";

export const PREVIEW_WORDS = /can't run|cannot run|during preview/i;

export class PropertyFailure extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PropertyFailure";
    }
}

function fail(msg: string): never {
    throw new PropertyFailure(msg);
}

/**
 * The same scenario with the planted credential replaced everywhere by another of the same format. A 5-character
 * slice of the secret that also shows with a different secret is the message's own text (say, "Vault" inside a
 * random key body), not a leak.
 */
export function substitute(s: Scenario): Scenario {
    const other = FORMAT_FAKES[s.planted.detector]?.(seeded(s.seed ^ 0x5bd1e995)) ??
        (s.planted.detector === "secret-key-name" ? keyNameFake(seeded(s.seed ^ 0x5bd1e995)) : s.planted);
    const enc1 = (v: string) => JSON.stringify(v).slice(1, -1);
    const enc2 = (v: string) => enc1(enc1(v));
    const swap = (text: string) => text.split(enc2(s.planted.value)).join(enc2(other.value)).split(enc1(s.planted.value)).join(enc1(other.value));
    const resources = JSON.parse(swap(JSON.stringify(s.resources))) as StackSubject[];
    const values = new Map([...s.stackConfig.values].map(([k, v]) => [k, v === s.planted.value ? other.value : v]));
    return { ...s, resources, target: resources.find((r) => r.urn === s.target.urn)!, planted: other, stackConfig: { ...s.stackConfig, values } };
}

/**
 * No emitted text holds 5 consecutive characters of the planted secret; no finding talks about preview.
 * `rerun` gives the outputs of the same scenario with another secret, to tell a leak from a coincidence.
 */
export function checkOutputs(s: Scenario, out: Emitted[], rerun?: (s2: Scenario) => Emitted[]): void {
    let others: string | undefined;
    for (const e of out) {
        if (s.planted.secret) {
            const at = leakOffset(e.text, s.planted.secret);
            if (at >= 0) {
                const slice = s.planted.secret.slice(at, at + 5);
                if (rerun) {
                    others ??= rerun(substitute(s)).map((x) => x.text).join("\n");
                    if (others.includes(slice)) continue;
                }
                fail(`${e.policy} ${e.kind} (${e.phase}) leaks a 5-character slice of the planted ${s.planted.detector} secret at offset ${at}`);
            }
        }
        if (e.kind === "finding" && PREVIEW_WORDS.test(e.text)) fail(`${e.policy} finding mentions preview: ${e.text.slice(0, 200)}`);
    }
}

/** The planted secret is a mandatory no-hardcoded-secrets finding on the target at the planted path. */
export function checkPlantFound(s: Scenario, out: Emitted[], where = "pure"): void {
    const p = formatPath(s.plant.path);
    const hit = out.find((e) => e.policy === "no-hardcoded-secrets" && e.kind === "finding" && e.urn === s.target.urn &&
        [" holds", "{json}", ".", "["].some((after) => e.text.includes(`property ${p}${after}`)));
    if (!hit) fail(`${where}: planted ${s.planted.detector} at ${p} (in JSON: ${s.plant.inJson}) on ${s.target.type} was not reported`);
    if (hit.level !== "mandatory") fail(`${where}: planted ${s.planted.detector} reported at level ${hit.level}`);
}

function key(e: Emitted): string {
    return JSON.stringify([e.policy, e.kind, e.phase, e.urn, e.level, e.text]);
}

function withProps(s: Scenario, f: (r: StackSubject, isRoot: boolean) => WireObject): StackSubject[] {
    return s.resources.map((r, i) => ({ ...r, props: f(r, i === 0) }));
}

/** 1. Never throws; 2. never leaks; never talks about preview. */
export function neverThrowsProperty(opts: { bigWeight?: number } = {}) {
    return fc.property(scenarioArb({ rawSignatures: true, bigWeight: opts.bigWeight }), (s) => {
        checkOutputs(s, runAll(s.resources, s.rawConfigs, s), (s2) => runAll(s2.resources, s2.rawConfigs, s2));
        checkOutputs(s, runAll(s.resources, s.rawConfigs, s, { allTypes: true }), (s2) => runAll(s2.resources, s2.rawConfigs, s2, { allTypes: true }));
    });
}

/** 3. The same findings when random nodes (anywhere below the root object) are wrapped in secrets. */
export function secretWrapProperty(opts: { bigWeight?: number } = {}) {
    return fc.property(scenarioArb({ bigWeight: opts.bigWeight }), fc.integer(), (s, seed) => {
        const rand = seeded(seed);
        const before = runAll(s.resources, s.rawConfigs, s).map(key).sort();
        // Exports are left alone: a secret export is by definition not a plaintext one (see exportsWrapProperty).
        const wrapped = withProps(s, (r, isRoot) => (isRoot ? r.props : wrapSecrets(r.props, rand)));
        const after = runAll(wrapped, s.rawConfigs, s).map(key).sort();
        if (JSON.stringify(before) !== JSON.stringify(after)) {
            // The one intended difference: a secret in a property that depends on a secret store is what an invoke
            // reading that store returns (see confirmInStack), so wrapping may drop that no-hardcoded-secrets finding.
            const readsStore = new Set(s.resources.filter((r) => r.dependencies.some((d) => {
                const dep = s.resources.find((x) => x.urn === d);
                return dep !== undefined && d !== r.urn && isSecretStoreType(dep.type);
            })).map((r) => r.urn));
            const lost = before.filter((k) => !after.includes(k)).filter((k) => {
                const [policy, kind, phase, urn] = JSON.parse(k) as string[];
                return !(policy === "no-hardcoded-secrets" && kind === "finding" && phase === "analyzeStack" && readsStore.has(urn));
            });
            // no-secrets-in-plaintext-cloud-fields is about secrets in plaintext fields: wrapping a value there may add
            // a finding (and say "is a Pulumi secret" instead of "matches a credential format"), never remove a
            // flagged field. Its findings are compared by field, the others by their whole text.
            const CLOUD = "no-secrets-in-plaintext-cloud-fields";
            const field = (k: string) => {
                const [policy, , , urn, , text] = JSON.parse(k) as string[];
                return policy === CLOUD ? `${urn} ${/ property (\S+) /.exec(text)?.[1]}` : undefined;
            };
            const fieldsAfter = new Set(after.map(field).filter((f): f is string => f !== undefined));
            const lostFields = lost.filter((k) => { const f = field(k); return f !== undefined && !fieldsAfter.has(f); });
            lost.splice(0, lost.length, ...lost.filter((k) => field(k) === undefined), ...lostFields);
            const gained = after.filter((k) => !before.includes(k)).filter((k) => field(k) === undefined);
            if (lost.length === 0 && gained.length === 0) return;
            fail(`secret wrappers changed the outcome: lost ${JSON.stringify(lost).slice(0, 600)}; gained ${JSON.stringify(gained).slice(0, 600)}`);
        }
    });
}

/** 3b. Wrapping exports in secrets never adds a no-plaintext-secret-exports finding, and wrapping each export whole removes them all. */
export function exportsWrapProperty() {
    return fc.property(scenarioArb({ bigWeight: 0 }), fc.integer(), (s, seed) => {
        const rand = seeded(seed);
        const count = (rs: StackSubject[]) => runAll(rs, s.rawConfigs, s).filter((e) => e.policy === "no-plaintext-secret-exports" && e.kind === "finding");
        const before = count(s.resources).map(key);
        const some = count(withProps(s, (r, isRoot) => (isRoot ? wrapSecrets(r.props, rand) : r.props))).map(key);
        const gained = some.filter((k) => !before.includes(k));
        if (gained.length) fail(`wrapping exports in secrets added findings: ${gained.join(" | ").slice(0, 600)}`);
        const whole = count(withProps(s, (r, isRoot) => (isRoot ? Object.fromEntries(Object.keys(r.props).map((k) => [k, { [SIG_KEY]: SECRET_SIG, value: clone(r.props[k]) }])) as WireObject : r.props)));
        if (whole.length) fail(`secret exports still reported: ${whole.map(key).join(" | ").slice(0, 600)}`);
    });
}

/** 4. Unknowns elsewhere never turn the planted hard-coded secret into anything but a mandatory finding. */
export function unknownsKeepMandatoryProperty(opts: { bigWeight?: number } = {}) {
    return fc.property(scenarioArb({ plainOnly: true, bigWeight: opts.bigWeight }), fc.integer(), fc.integer({ min: 2, max: 6 }), (s, seed, rate) => {
        fc.pre(plantIsExpected(s));
        const rand = seeded(seed);
        checkPlantFound(s, runAll(s.resources, s.rawConfigs, s), "known tree");
        const sprinkled = withProps(s, (r) => (r.urn === s.target.urn ? sprinkleUnknowns(r.props, s.plant.path.slice(0, s.plant.wireLength), rand, rate) : sprinkleUnknowns(r.props, [], rand, rate)));
        const out = runAll(sprinkled, s.rawConfigs, s);
        checkOutputs({ ...s, resources: sprinkled }, out, (s2) => runAll(s2.resources, s2.rawConfigs, s2));
        checkPlantFound({ ...s, resources: sprinkled }, out, "with unknowns");
    });
}

/** A failing case described without its values (they hold planted fakes): enough to find it again by seed and path. */
export function describeFailure(details: fc.RunDetails<unknown>): string {
    const cause = details.errorInstance instanceof Error ? `${details.errorInstance.name}: ${details.errorInstance.message}` : String(details.errorInstance);
    return `property failed after ${details.numRuns} case(s); replay with { seed: ${details.seed}, path: "${details.counterexamplePath}" }\n${cause}\n` +
        ((details.errorInstance as Error)?.stack ?? "").split("\n").slice(1, 6).join("\n");
}

/** fc.check with a short, value-free failure report (fast-check's own report prints the whole tree). */
export function assertProperty(prop: fc.IProperty<any>, params: fc.Parameters<any>): fc.RunDetails<unknown>;
export function assertProperty(prop: fc.IAsyncProperty<any>, params: fc.Parameters<any>): Promise<fc.RunDetails<unknown>>;
export function assertProperty(prop: any, params: fc.Parameters<any>): any {
    const done = (details: fc.RunDetails<unknown>) => {
        if (details.failed) throw new PropertyFailure(describeFailure(details));
        return details;
    };
    const r: any = fc.check(prop, { ...params, endOnFailure: true });
    return typeof r?.then === "function" ? r.then(done) : done(r);
}

export const PURE_PROPERTIES: { name: string; make: (o: { bigWeight?: number }) => fc.IProperty<any>; share: number }[] = [
    { name: "every policy: never throws, never leaks a planted secret, no finding mentions preview", make: neverThrowsProperty, share: 0.4 },
    { name: "every policy: same findings when the tree is wrapped in secrets at random places", make: secretWrapProperty, share: 0.25 },
    { name: "no-plaintext-secret-exports: secret wrappers on exports never add findings, whole-secret exports have none", make: () => exportsWrapProperty(), share: 0.1 },
    { name: "no-hardcoded-secrets: a planted secret stays a mandatory finding when unknowns are sprinkled elsewhere", make: unknownsKeepMandatoryProperty, share: 0.25 },
];
