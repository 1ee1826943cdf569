// Builds Analyzer protocol messages the way the engine fills them. Shared by the checker, the benchmarks and the
// hardening tests, which all speak to a pack directly.
import { nonEmptyDependencies } from "./marshal";

export interface StackResourceFields {
    urn: string;
    type: string;
    name: string;
    /** An already-built google.protobuf.Struct of the resource's (marshaled) outputs. */
    properties: unknown;
    /** An already-built AnalyzerResourceOptions message. */
    options: unknown;
    /** An already-built AnalyzerProviderResource message, if the resource has a provider. */
    provider?: unknown;
    parent?: string;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
}

/** One AnalyzeStack entry. Property dependencies with no URNs are left out, as the engine does. */
export function stackResourceMessage(pb: any, f: StackResourceFields): any {
    const ar = new pb.AnalyzerResource();
    ar.setUrn(f.urn);
    ar.setType(f.type);
    ar.setName(f.name);
    ar.setProperties(f.properties);
    ar.setOptions(f.options);
    if (f.provider) ar.setProvider(f.provider);
    if (f.parent) ar.setParent(f.parent);
    ar.setDependenciesList(f.dependencies);
    for (const [k, urns] of Object.entries(nonEmptyDependencies(f.propertyDependencies))) {
        const pd = new pb.AnalyzerPropertyDependencies();
        pd.setUrnsList(urns);
        ar.getPropertydependenciesMap().set(k, pd);
    }
    return ar;
}

/**
 * AnalyzerResourceOptions for a resource registered with no options: what the engine sends for a plain resource
 * (@pulumi/policy refuses requests without options). `parent` is set only when given.
 */
export function defaultResourceOptions(pb: any, parent?: string): any {
    const op = new pb.AnalyzerResourceOptions();
    op.setProtect(false);
    op.setIgnorechangesList([]);
    op.setDeletebeforereplace(false);
    op.setDeletebeforereplacedefined(false);
    op.setAdditionalsecretoutputsList([]);
    op.setAliasesList([]);
    const ct = new pb.AnalyzerResourceOptions.CustomTimeouts();
    ct.setCreate(0);
    ct.setUpdate(0);
    ct.setDelete(0);
    op.setCustomtimeouts(ct);
    if (parent) op.setParent(parent);
    return op;
}
