// SARIF 2.1.0 for GitHub code scanning and other SARIF viewers: one run, one rule per policy, one result per
// diagnostic. Each result has a logical location (the resource's URN, kind "resource"; the root stack resource for
// stack-wide findings) and a physical location (the program's entry file, relative to the repository), because
// GitHub only displays results that have a physical location.
import * as crypto from "crypto";
import * as path from "path";
import { CheckReport, Diagnostic, PolicyInfo } from "../types";
import { allPolicies, describeResource, groupDiagnostics, repoRelativeFile, severityOf, stackUrn } from "./common";

export const SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";

export interface SarifOptions {
    /**
     * The program's entry file (absolute, or relative to `repoRoot`). Default: `index.ts` in the program's
     * directory (`report.program`, or its directory when it names Pulumi.yaml).
     */
    entryFile?: string;
    /** Repository root the artifact URI is made relative to. Default: the current directory. */
    repoRoot?: string;
}

/** GitHub code scanning's `security-severity` score for each severity (a number in a string, 0.0-10.0). */
export const SECURITY_SEVERITY: Record<string, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };

type SarifLevel = "error" | "warning" | "note" | "none";

export function sarifLevel(level: string): SarifLevel {
    switch (level) {
        case "mandatory":
            return "error";
        case "advisory":
            return "warning";
        case "remediate":
            return "note";
        default:
            return "none";
    }
}

/** Entry file URI relative to the repository root, `/`-separated and percent-encoded per segment. */
export function entryFileUri(program: string, opts: SarifOptions = {}): string {
    const root = path.resolve(opts.repoRoot ?? process.cwd());
    let entry = opts.entryFile;
    if (entry === undefined) {
        const dir = /(^|[\\/])Pulumi\.ya?ml$/.test(program) ? path.dirname(program) : program;
        entry = path.join(dir === "" ? "." : dir, "index.ts");
    }
    return encodeUri(path.relative(root, path.resolve(root, entry)).split(path.sep).join("/"));
}

/** A relative `/`-separated path as a URI reference, percent-encoded per segment. */
function encodeUri(rel: string): string {
    return rel
        .split("/")
        .map((seg) => (seg === ".." ? seg : encodeURIComponent(seg)))
        .join("/");
}

function ruleFor(p: PolicyInfo): Record<string, unknown> {
    const properties: Record<string, unknown> = {};
    if (p.severity) properties.severity = p.severity;
    const score = p.severity ? SECURITY_SEVERITY[p.severity] : undefined;
    if (score) properties["security-severity"] = score;
    properties.tags = ["security", "secrets", "pulumi-policy"];
    properties.enforcementLevel = p.enforcementLevel;
    if (p.framework) properties.framework = { ...p.framework };
    const description = p.description || p.displayName || p.name;
    return {
        id: p.name,
        shortDescription: { text: p.displayName || p.name },
        fullDescription: { text: description },
        help: { text: p.remediationSteps || description },
        defaultConfiguration: { level: sarifLevel(p.enforcementLevel), enabled: p.enforcementLevel !== "disabled" },
        properties,
    };
}

/** The checker's fingerprint (checker/fingerprint.ts); for a report built without one, policy, URN and message. */
function fingerprint(d: Diagnostic, urn: string): string {
    return d.fingerprint ?? crypto.createHash("sha256").update(`${d.policyName}\u0000${urn}\u0000${d.message}`).digest("hex");
}

export function formatSarif(report: CheckReport, opts: SarifOptions = {}): string {
    const policies = allPolicies(report);
    const ruleIndex = new Map(policies.map((p, i) => [p.name, i]));
    const uri = entryFileUri(report.program, opts);
    const rootUrn = stackUrn(report);
    const results = groupDiagnostics(report).flatMap((g) =>
        g.diagnostics.map((d) => {
            const urn = d.urn || rootUrn;
            const res = describeResource(report, urn);
            const sev = severityOf(report, d);
            const properties: Record<string, unknown> = {
                enforcementLevel: d.enforcementLevel,
                policyPackName: d.policyPackName,
                policyPackVersion: d.policyPackVersion,
                stackWide: !d.urn,
            };
            if (sev) properties.severity = sev;
            return {
                ruleId: d.policyName,
                ruleIndex: ruleIndex.get(d.policyName)!,
                level: sarifLevel(d.enforcementLevel),
                message: { text: d.message },
                locations: [
                    {
                        physicalLocation: d.location
                            ? {
                                artifactLocation: { uri: encodeUri(repoRelativeFile(report, d.location, opts.repoRoot)), uriBaseId: "%SRCROOT%" },
                                region: { startLine: d.location.line, startColumn: d.location.column },
                            }
                            : {
                                artifactLocation: { uri, uriBaseId: "%SRCROOT%" },
                                region: { startLine: 1 },
                            },
                        logicalLocations: [{ name: res.name, fullyQualifiedName: urn, kind: "resource" }],
                    },
                ],
                partialFingerprints: { "mlSecretsGuardFinding/v1": fingerprint(d, urn) },
                ...(report.fixed !== undefined ? { baselineState: d.baselined ? "unchanged" : "new" } : {}),
                properties,
            };
        }),
    );
    const log = {
        $schema: SARIF_SCHEMA_URI,
        version: "2.1.0",
        runs: [
            {
                tool: {
                    driver: {
                        name: report.pack.name || "ml-secrets-guard",
                        version: report.pack.version,
                        rules: policies.map(ruleFor),
                    },
                },
                results,
                properties: { project: report.project, stack: report.stack, mode: report.mode, program: report.program },
            },
        ],
    };
    return JSON.stringify(log, null, 2) + "\n";
}
