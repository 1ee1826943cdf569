// Texts that stand where a secret was hidden, never the secret itself. Pure: no @pulumi imports.

/** What `pulumi policy analyze --file` and state exports show where a secret could not be decrypted. */
export const MASKED_SECRET_TEXT = "[secret]";

/** A run of mask characters (`********`, `•••••`) is how tools hide a secret for display. */
const MASK_RUN = /^[*•●]{3,}$/;

/** True for a value that is a mask for a hidden secret (`[secret]` in any case, `********`): never a finding. */
export function isMaskedSecret(s: string): boolean {
    if (typeof s !== "string") return false;
    const t = s.trim();
    return t.toLowerCase() === MASKED_SECRET_TEXT || MASK_RUN.test(t);
}
