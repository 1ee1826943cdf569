// Last line of defence for every message the pack emits: any credential-shaped run that slipped into a message
// is replaced by its redacted form. Rules already redact; this catches mistakes.
import { findCredentialFormats, redact } from "../detection";

export function scrubMessage(message: string): string {
    const hits = findCredentialFormats(message);
    if (hits.length === 0) return message;
    let out = "";
    let last = 0;
    for (const h of [...hits].sort((a, b) => a.start - b.start)) {
        if (h.start < last) continue;
        out += message.slice(last, h.start) + redact(message.slice(h.start, h.end));
        last = h.end;
    }
    return out + message.slice(last);
}
