// Redaction: how a detected value may appear in a message. Pure: no @pulumi imports.

/**
 * Shows at most the first 4 characters of `s` and its length, e.g. `sk-p… (51 chars)`. Short values show less so
 * that no more than a quarter of a value and never 5 consecutive characters appear: for length < 16,
 * min(4, floor(length / 4)) characters; nothing at all for length < 8.
 */
export function redact(s: string): string {
    const str = typeof s === "string" ? s : String(s);
    const len = str.length;
    let shown = len < 8 ? 0 : Math.min(4, Math.floor(len / 4));
    // Never cut a surrogate pair in half.
    if (shown > 0) {
        const c = str.charCodeAt(shown - 1);
        if (c >= 0xd800 && c <= 0xdbff) shown--;
    }
    return `${str.slice(0, shown)}… (${len} chars)`;
}
