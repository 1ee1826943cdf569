// 7. Detection: recall and false alarms of the format detectors on the labelled set, and on the realistic programs (test/fixtures/realistic/): every program through the offline checker and
// the real pack in preview and update, compared with its expected.json by the same code as the end-to-end test
// (test/realistic/programs.ts). Recall: expected findings found. False alarms: diagnostics no expectation accounts
// for, and among them mandatory diagnostics on values the program declares silent. Figures only; values are never
// printed (the notes name programs, policies, resources and property paths).
import { compare, Comparison, loadPrograms, MODES, ProgramRun, runPrograms } from "../../test/realistic/programs";
import { labelledAccuracy } from "../detection-accuracy";
import { fmt, metIf, Row, SectionResult } from "../lib/report";

function pct(n: number, d: number): string {
    return d === 0 ? "n/a" : `${fmt((100 * n) / d, 1)}%`;
}

export async function realisticDetection(concurrency: number, log: (s: string) => void): Promise<SectionResult> {
    const specs = loadPrograms();
    let done = 0;
    const runs = await runPrograms(specs, MODES, concurrency, () => {
        done++;
        if (done % 8 === 0) log(`  realistic: ${done}/${specs.length * MODES.length} runs`);
    });
    let required = 0;
    let found = 0;
    let unexpected = 0;
    let unexpectedMandatory = 0;
    let silent = 0;
    let onSilent = 0;
    let exact = 0;
    let broken = 0;
    const details: string[] = [];
    for (const r of runs as ProgramRun[]) {
        const report = r.result?.report;
        if (!report) {
            broken++;
            details.push(`${r.spec.name} (${r.mode}): no report (${r.error ?? `exit ${r.result?.exitCode}`}); counted as finding nothing`);
        }
        const c: Comparison = compare(r.spec, r.mode, report?.diagnostics ?? []);
        required += c.required;
        found += c.found;
        unexpected += c.unexpected.length;
        unexpectedMandatory += c.unexpected.filter((d) => d.enforcementLevel === "mandatory").length;
        silent += c.silentCount;
        onSilent += c.onSilent.length;
        if (c.exact && report) exact++;
        if (!c.exact) {
            const parts = [
                ...c.missing.map((e) => `missed ${e.policy} on ${e.resource} at ${e.pathContains}`),
                ...c.unexpected.map((d) => `unexpected ${d.enforcementLevel} ${d.policyName} on ${d.urn?.split("::").slice(-2).join("::") ?? "(no resource)"}`),
            ];
            details.push(`${r.spec.name} (${r.mode}): ${parts.join("; ")}`);
        }
    }
    const total = runs.length;
    const labelled = labelledAccuracy();
    const positives = labelled.tp + labelled.fn;
    const negatives = labelled.fp + labelled.tn;
    const rows: Row[] = [
        {
            section: "7 detection", measure: `Labelled set: recall of findCredentialFormats (${positives} positives, every detector)`,
            ours: `${labelled.tp}/${positives} (${pct(labelled.tp, positives)})`, baseline: `${positives} positives`, target: "100%", met: metIf(labelled.fn === 0),
        },
        {
            section: "7 detection", measure: `Labelled set: false alarms on look-alikes (${negatives} negatives)`,
            ours: `${labelled.fp}/${negatives}`, baseline: `${negatives} negatives`, target: "0", met: metIf(labelled.fp === 0),
        },
        {
            section: "7 detection", measure: `Recall: expected findings found (${specs.length} programs x ${MODES.length} modes)`,
            ours: `${found}/${required} (${pct(found, required)})`, baseline: `${required} expected`, target: "100%", met: metIf(found === required),
        },
        {
            section: "7 detection", measure: "False alarms: diagnostics not expected",
            ours: `${unexpected} (${unexpectedMandatory} mandatory)`, baseline: `${total} runs`, target: "0", met: metIf(unexpected === 0),
        },
        {
            section: "7 detection", measure: "Declared non-findings given a mandatory diagnostic",
            ours: `${onSilent} of ${silent}`, baseline: `${silent} declared`, target: "0", met: metIf(onSilent === 0),
        },
        {
            section: "7 detection", measure: "Runs giving exactly the expected diagnostics",
            ours: `${exact}/${total}`, baseline: `${total} runs`, target: "all", met: metIf(exact === total),
        },
    ];
    const notes = [
        `${specs.length} Pulumi TypeScript programs in test/fixtures/realistic/ (Lambda and ECS environments, connection strings, Key Vault ` +
            "secrets, SSM parameters, startup scripts and user data, Vault KV, provider blocks, API Gateway, JSON.stringify of Outputs, " +
            "environment-sourced providers, structured secret config, stack exports, ML endpoints), each run through `check` in preview and " +
            `update, ${concurrency} at a time, with fake credentials generated at run time. Expectations: each program's expected.json; the ` +
            "comparison is test/realistic/programs.ts, shared with test/realistic/realistic.test.ts.",
        "Recall counts required expected diagnostics (optional ones, such as an exported access key id that may be advisory, are " +
            "not counted); a false alarm is any diagnostic no expectation accounts for, of any policy and level.",
        ...(broken ? [`${broken} run(s) produced no report.`] : []),
        ...(details.length ? [`Differences: ${details.join(" | ")}`] : ["Every run gave exactly its expected diagnostics."]),
    ];
    if (labelled.fn || labelled.fp) notes.push(`Labelled set misses: ${[...labelled.falseNegatives, ...labelled.falsePositives].join("; ")}.`);
    notes.unshift("Labelled set: test/fixtures/detection/labelled.json (fake credentials of every format and look-alikes: UUIDs, digests, " +
        "ARNs, base64 policies, ciphertexts, public keys), through findCredentialFormats; entries are named by index, never by value.");
    return { title: "7. Detection: the labelled set and the realistic programs", rows, notes };
}
