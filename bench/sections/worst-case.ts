// 5. Worst case: every detector in FORMAT_DETECTORS, alone, on adversarial 1 MB inputs (long runs of near-matches
// for its anchor), and the walker (scanProps) on deeply nested JSON. Reports the worst median time per detector.
import { FORMAT_DETECTORS, findCredentialFormats } from "../../policies/detection";
import { scanProps } from "../../policies/detection/scan";
import { Wire } from "../../policies/lib/wire";
import { fmt, median, metIf, ratio, Row, SectionResult, timeMs } from "../lib/report";
import { k8sManifests, Rng } from "../lib/synthetic";

const SIZE = 1024 * 1024;
const r = (ch: string, n: number) => ch.repeat(n);

/** Repeats `unit` (after an optional prefix) to exactly 1 MB. */
function fill(unit: string, prefix = ""): string {
    const body = unit.repeat(Math.ceil((SIZE - prefix.length) / unit.length));
    return (prefix + body).slice(0, SIZE);
}

interface Input { label: string; s: string }

const u = (label: string, unit: string, prefix = ""): Input => ({ label, s: fill(unit, prefix) });

/** Near-matches per detector: its anchor, the anchor plus a body one short, bodies that fail the post-checks, ... */
function adversarial(id: string): Input[] {
    switch (id) {
        case "aws-access-key-id": return [u("AKIA run", "AKIA"), u("AKIA+15", "AKIA" + r("A", 15) + " "), u("ASIA+16 no digit", "ASIA" + r("A", 16) + " "),
            u("AKIA+16 glued", "AKIA" + r("B", 16)), u("A run", "A")];
        case "aws-secret-access-key": return [u("secret_access_key= run", "secret_access_key="), u("aws_secret=+39", "aws_secret=" + r("A", 39) + " "),
            u("key id + 40 lowercase", "AKIA" + r("2", 16) + " " + r("a", 40) + " "), u("key id + 40 mixed", "AKIA" + r("2", 16) + " " + "Ab1/".repeat(10) + " "),
            u("ecret run", "ecret"), u("base64 run after one id", "Ab1+", "AKIA2222222222222222 ")];
        case "gcp-api-key": return [u("AIza run", "AIza"), u("AIza+34", "AIza" + r("a", 34) + " "), u("AIza+35 glued", "AIza" + r("a", 35))];
        case "gcp-service-account-key": {
            const pre = '{"type": "service_account", ';
            return [u("private_key BEGIN, no END", '"private_key": "-----BEGIN PRIVATE KEY-----', pre),
                u("escaped private_key", '\\"private_key\\": \\"-----BEGIN RSA PRIVATE KEY-----\\n', '{\\"type\\": \\"service_account\\", '),
                u("type run", '"type": "service_account", "private_key"'), u("private_key run", '"private_key": "', pre)];
        }
        case "azure-storage-key": return [u("AccountKey= run", "AccountKey="), u("AccountKey=+85", "AccountKey=" + r("A", 85) + ";"),
            u("AccountKey=+88 one class", "AccountKey=" + r("a", 88) + ";"), u("ccountkey run", "ccountkey")];
        case "azure-shared-access-key": return [u("SharedAccessKey= run", "SharedAccessKey="), u("SharedAccessKey=+29", "SharedAccessKey=" + r("a", 29) + ";"),
            u("SharedAccessKey=+88 one class", "SharedAccessKey=" + r("a", 88) + ";")];
        case "azure-sas-token": return [u("sig= run", "sig="), u("SharedAccessSignature=sig= run", "SharedAccessSignature=sig="),
            u("SAS no sig, 2047", "SharedAccessSignature=" + r("a", 2047) + ";", "sig="), u("?sv=&sig=+19", "?sv=1&sig=" + r("a", 19) + "&"),
            u("&sig= one class", "&sr=b&sig=" + r("a", 256) + ";")];
        case "vault-token": return [u("hvs. run", "hvs."), u("hvs.+23", "hvs." + r("a", 23) + " "), u("hvs.+1024 one class", "hvs." + r("a", 1024) + " "),
            u("token=s. run", "token=s."), u("s. run", "s."), u("x-vault-token: s.+23", "x-vault-token: s." + r("a", 23) + " ")];
        case "openai-api-key": return [u("sk- run", "sk-"), u("sk-+31", "sk-" + r("a", 31) + " "), u("sk-+300 one class", "sk-" + r("a", 300) + " "),
            u("sk-proj- run", "sk-proj-"), u("sk- glued body", "sk-" + r("a", 40))];
        case "anthropic-api-key": return [u("sk-ant- run", "sk-ant-"), u("sk-ant-api03-+31", "sk-ant-api03-" + r("a", 31) + " "), u("sk-ant-api03-+256 one class", "sk-ant-api03-" + r("a", 256) + " ")];
        case "huggingface-token": return [u("hf_ run", "hf_"), u("hf_+33", "hf_" + r("a", 33) + " "), u("hf_+41 glued", "hf_" + r("a", 41))];
        case "github-token": return [u("ghp_ run", "ghp_"), u("ghp_+35", "ghp_" + r("a", 35) + " "), u("github_pat_+81", "github_pat_" + r("a", 81) + " "),
            u("ghp_+251 one class", "ghp_" + r("a", 251) + " ")];
        case "gitlab-token": return [u("glpat- run", "glpat-"), u("glpat-+19", "glpat-" + r("a", 19) + " "), u("glpat-+128 one class", "glpat-" + r("a", 128) + " ")];
        case "slack-token": return [u("xox run", "xox"), u("xoxb-+19", "xoxb-" + r("a", 19) + " "), u("xoxb-+250 no digit", "xoxb-" + r("a", 250) + " "), u("xapp-1- run", "xapp-1-")];
        case "slack-webhook": return [u("hooks.slack.com run", "hooks.slack.com"), u("webhook, short T", "https://hooks.slack.com/services/TAAAAA/"),
            u("webhook, short secret", "https://hooks.slack.com/services/TAAAAAA/BBBBBB/" + r("c", 15) + " ")];
        case "stripe-key": return [u("sk_live_ run", "sk_live_"), u("sk_live_+23", "sk_live_" + r("a", 23) + " "), u("whsec_+31", "whsec_" + r("a", 31) + " "),
            u("sk_live_+247 one class", "sk_live_" + r("a", 247) + " ")];
        case "databricks-token": return [u("dapi run", "dapi"), u("dapi+31", "dapi" + r("a", 31) + " "), u("dapi+32 letters only", "dapi" + r("a", 32) + " ")];
        case "private-key": return [u("-----BEGIN run", "-----BEGIN"), u("BEGIN PRIVATE KEY run", "-----BEGIN PRIVATE KEY-----"),
            u("BEGIN A B C D E", "-----BEGIN A B C D E "), u("BEGIN + 39 base64", "-----BEGIN RSA PRIVATE KEY-----\n" + r("A", 39) + "\n"),
            u("BEGIN + body, no END", "-----BEGIN PRIVATE KEY-----\n" + r("A", 64) + "\n"), u("dashes run", "-")];
        case "jwt": return [u("eyJ run", "eyJ"), u("eyJ+5000.", "eyJ" + r("a", 5000) + "."), u("valid header chain", "eyJhbGciOiJub25lIn0."),
            u("valid header + short body", "eyJhbGciOiJub25lIn0.x "), u("header ending } no alg", "eyJhIjoxfQ.e30. ")];
        case "url-password": return [u(":// run", "a://"), u("user:255 no @", "a://u:" + r("p", 255) + " "), u("empty creds", "a://:@"),
            u("user 255 : pw 255", "a://" + r("u", 255) + ":" + r("p", 255)), u("masked passwords", "a://u:***@h ")];
        case "connection-string-password": return [u("password= run", "password="), u("Server=;Password=a; (hits)", "Server=x;Password=a;"),
            u("Password=+255 no context", "Password=" + r("a", 255) + " "), u("pwd= run", "pwd="), u("Wd run", "Wd"), u("Password=${var}", "Server=x;Password=${v};")];
        default: return [];
    }
}

function generic(rng: Rng): Input[] {
    const b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let printable = "";
    for (let i = 0; i < SIZE; i++) printable += String.fromCharCode(32 + rng.int(95));
    return [{ label: "a run", s: r("a", SIZE) }, { label: "random printable", s: printable }, { label: "random base64", s: rng.chars(b64, SIZE) }];
}

function worstOf(reps: number, inputs: Input[], fn: (s: string) => void): { ms: number; label: string } {
    let worst = { ms: -1, label: "" };
    for (const inp of inputs) {
        fn(inp.s); // warm-up
        const t = median(Array.from({ length: reps }, () => timeMs(() => fn(inp.s))));
        if (t > worst.ms) worst = { ms: t, label: inp.label };
    }
    return worst;
}

/** A wire object nested `depth` deep, built iteratively. */
function nestedObject(depth: number): Wire {
    let v: Wire = "leaf";
    for (let i = 0; i < depth; i++) v = { a: v };
    return v;
}

/** A JSON array of two JSON strings, each an array of two JSON strings, ... `levels` deep (escaping grows per level). */
function nestedJsonStrings(levels: number): string {
    let s = JSON.stringify({ k: r("x", 1000) });
    for (let i = 0; i < levels; i++) s = JSON.stringify([s, s]);
    return s;
}

export async function worstCase(reps: number, log: (s: string) => void): Promise<SectionResult> {
    const rng = new Rng();
    const ids = FORMAT_DETECTORS.map((d) => d.id);
    const base = generic(rng);
    const benign = k8sManifests(SIZE, rng).slice(0, SIZE);
    const rows: Row[] = [];
    const notes: string[] = [];
    let over = 0;
    for (const id of ids) {
        const disabled = new Set(ids.filter((x) => x !== id));
        const run = (s: string) => { findCredentialFormats(s, { disabled }); };
        const adv = adversarial(id);
        if (!adv.length) notes.push(`${id}: no adversarial inputs written for this detector (generic inputs only).`);
        const worst = worstOf(reps, [...adv, ...base], run);
        const floor = worstOf(reps, [{ label: "1 MB of k8s manifests JSON", s: benign }], run);
        if (worst.ms > 50) over++;
        rows.push({
            section: "5 worst", measure: `${id}: max over ${adv.length + base.length} 1 MB inputs (worst: ${worst.label})`,
            ours: `${fmt(worst.ms, 1)} ms`, baseline: `benign 1 MB JSON ${fmt(floor.ms, 1)} ms`, ratio: ratio(worst.ms, floor.ms),
            target: "<= 50 ms", met: metIf(worst.ms <= 50),
        });
    }
    log(`  worst case: ${ids.length} detectors done`);
    // The walker, through scanProps with every detector on: deep nesting inside a JSON string and in the wire value.
    const half = SIZE / 2;
    const walkerInputs: { label: string; props: Wire }[] = [
        { label: "[[[...]]] 512k deep in a string", props: { p: r("[", half) + r("]", half) } },
        { label: '{"a":{"a":...}} in a string', props: { p: r('{"a":', Math.floor((SIZE - 4) / 6)) + "1" + r("}", Math.floor((SIZE - 4) / 6)) } },
        { label: "wire object 100k deep", props: nestedObject(100000) },
        { label: "JSON strings inside JSON strings, 8 levels", props: { p: nestedJsonStrings(8) } },
        { label: "1 MB JSON array of 1-char strings", props: { p: JSON.stringify(Array.from({ length: Math.floor(SIZE / 4) }, () => "a")) } },
    ];
    let worstWalk = { ms: -1, label: "" };
    for (const w of walkerInputs) {
        let failed: string | undefined;
        const once = () => { try { scanProps("bench:index:Deep", w.props); } catch (e) { failed = (e as Error).constructor.name; } };
        once();
        const t = median(Array.from({ length: reps }, () => timeMs(once)));
        if (failed) notes.push(`walker: ${w.label} threw ${failed}.`);
        notes.push(`walker: ${w.label}: ${fmt(t, 1)} ms.`);
        if (t > worstWalk.ms) worstWalk = { ms: t, label: w.label };
    }
    const walkFloor = median(Array.from({ length: reps }, () => timeMs(() => scanProps("bench:index:Flat", { p: benign }))));
    rows.push({
        section: "5 worst", measure: `walker (scanProps, all detectors): deep or wide JSON, max over ${walkerInputs.length} 1 MB inputs (worst: ${worstWalk.label})`,
        ours: `${fmt(worstWalk.ms, 1)} ms`, baseline: `1 MB k8s JSON property ${fmt(walkFloor, 1)} ms`, ratio: ratio(worstWalk.ms, walkFloor),
        target: "<= 50 ms", met: metIf(worstWalk.ms <= 50),
    });
    notes.unshift(`Each detector runs alone (every other one disabled) through findCredentialFormats on each 1 MB input; a figure is ` +
        `the median of ${reps} timed runs after a warm-up, and the row shows the worst input. Generic inputs for every detector: a run of "a", random printable ASCII, random base64. ` +
        `${over} detector(s) over 50 ms.`);
    return { title: "5. Worst case", rows, notes };
}
