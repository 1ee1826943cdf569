// The hardening properties through the real pack process: random scenarios are sent over the Analyzer protocol
// (Analyze per resource, sometimes Remediate, then AnalyzeStack), as a preview or an update would send them.
import * as fc from "fast-check";
import { StackSubject } from "../../policies/lib/rule";
import { sprinkleUnknowns } from "./arbitraries";
import { leakOffset } from "../helpers/secrets";
import { seeded } from "./fakes";
import { Emitted, METAS } from "./harness";
import { PackClient } from "./pack-client";
import { checkPlantFound, PREVIEW_WORDS, PropertyFailure, substitute } from "./properties";
import { plantIsExpected, PROJECT, Scenario, scenarioArb, STACK } from "./scenario";

export const PACK_CONFIG = { "aws:region": "us-west-2", [`${PROJECT}:model`]: "fraud-detector", [`${PROJECT}:retries`]: "3" };

export async function startFuzzPack(dryRun = true): Promise<PackClient> {
    const c = await PackClient.start({ project: PROJECT, stack: STACK, dryRun, config: PACK_CONFIG, secretKeys: [] });
    // As the CLI does: every policy at its own level, properties left to the pack's defaults.
    const cfg: Record<string, { enforcementLevel: string; properties: Record<string, unknown> }> = {};
    for (const m of METAS.values()) cfg[m.name] = { enforcementLevel: m.enforcementLevel, properties: {} };
    await c.configure(cfg);
    return c;
}

function fail(msg: string): never {
    throw new PropertyFailure(msg);
}

/** Sends one operation; any gRPC error is a failure (the pack must answer every request). */
export async function sendOperation(c: PackClient, resources: StackSubject[], opts: { remediate: boolean }): Promise<Emitted[]> {
    const out: Emitted[] = [];
    const step = async <T>(what: string, f: () => Promise<T>): Promise<T> => {
        try {
            return await f();
        } catch (e: any) {
            fail(`${what}: gRPC error ${e?.code}: ${String(e?.details ?? e?.message).slice(0, 300)}${c.alive() ? "" : " (the pack exited)"}`);
        }
    };
    for (const r of resources) {
        // The root stack has no inputs in Analyze; its outputs (the exports) arrive in AnalyzeStack.
        const inputs = r.type === "pulumi:pulumi:Stack" && !r.parent ? { ...r, props: {} } : r;
        if (opts.remediate) out.push(...await step(`Remediate(${r.type})`, () => c.remediate(inputs)));
        out.push(...await step(`Analyze(${r.type})`, () => c.analyze(inputs)));
    }
    out.push(...await step("AnalyzeStack", () => c.analyzeStack(resources)));
    if (!c.alive()) fail("the pack exited");
    return out;
}

async function checkPackOutputs(c: PackClient, s: Scenario, out: Emitted[], remediate: boolean): Promise<void> {
    let others: string | undefined;
    for (const e of out) {
        if (s.planted.secret) {
            const at = leakOffset(e.text, s.planted.secret);
            if (at >= 0) {
                const slice = s.planted.secret.slice(at, at + 5);
                others ??= (await sendOperation(c, substitute(s).resources, { remediate })).map((x) => x.text).join("\n");
                if (!others.includes(slice)) fail(`${e.policy} ${e.kind} (${e.phase}) from the pack leaks a 5-character slice of the planted ${s.planted.detector} secret at offset ${at}`);
            }
        }
        if (e.kind === "finding" && PREVIEW_WORDS.test(e.text)) fail(`${e.policy} diagnostic from the pack mentions preview: ${e.text.slice(0, 200)}`);
        if (e.kind === "finding" && e.text.startsWith("internal error")) fail(`${e.policy}: ${e.text.slice(0, 300)}`);
    }
}

/**
 * One case: a random operation, unknowns sometimes sprinkled away from the planted secret. Never a gRPC error, the
 * pack stays up, no output leaks the planted secret, no diagnostic says a policy cannot run in preview, no internal
 * error, and a planted hard-coded secret is a mandatory no-hardcoded-secrets diagnostic.
 */
export function packProperty(c: PackClient, opts: { bigWeight?: number } = {}) {
    return fc.asyncProperty(scenarioArb({ wire: true, plainOnly: true, bigWeight: opts.bigWeight ?? 0 }), fc.integer(), fc.integer({ min: 0, max: 6 }), fc.boolean(),
        async (s0, seed, rate, remediate) => {
            const rand = seeded(seed);
            const s: Scenario = rate < 2 ? s0 : {
                ...s0,
                resources: s0.resources.map((r) => ({
                    ...r, props: sprinkleUnknowns(r.props, r.urn === s0.target.urn ? s0.plant.path.slice(0, s0.plant.wireLength) : [], rand, rate),
                })),
            };
            const out = await sendOperation(c, s.resources, { remediate });
            await checkPackOutputs(c, s, out, remediate);
            if (plantIsExpected(s)) checkPlantFound({ ...s, target: s.resources.find((r) => r.urn === s0.target.urn)! }, out, "through the pack");
        });
}
