// Detection: what a secret looks like. Written once, used by no-hardcoded-secrets, no-plaintext-secret-exports
// and the message scrubber. Pure: no @pulumi imports.
//
// CONTRACT (implemented in the sibling modules; keep these exports stable):
export { FORMAT_DETECTORS, findCredentialFormats, MIN_FORMAT_LENGTH } from "./formats";
export type { FormatDetector, FormatHit } from "./formats";
export { DETECTORS } from "./detectors";
export type { DetectorRow } from "./detectors";
export { compileExtraPatterns, backtrackingRisk } from "./extra-patterns";
export type { ExtraPattern, CompiledPattern } from "./extra-patterns";
export { isSecretBearingKey, isSchemaSecretInput } from "./keys";
export { isPlaceholder } from "./placeholders";
export { isReference } from "./references";
export { redact } from "./redact";
export { findStringifiedOutputs, isStringifiedOutput, STRINGIFIED_OUTPUT_HEADS } from "./stringified-output";
export type { StringifiedOutput, StringifyMethod } from "./stringified-output";
export { isMaskedSecret, MASKED_SECRET_TEXT } from "./masked";
