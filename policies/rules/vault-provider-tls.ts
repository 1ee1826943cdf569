// vault-provider-tls, the pure logic: a Vault provider (explicit, or the default one configured from stack config)
// must talk to Vault over TLS: an `http://` address is only acceptable on the loopback interface (a dev server).
import { findings, notApplicable, Outcome, ResourceSubject } from "../lib/rule";
import { readString } from "../lib/wire";

export const VAULT_PROVIDER_TYPE = "pulumi:providers:vault";

function isIpv4Loopback(host: string): boolean {
    const parts = host.split(".");
    if (parts.length !== 4) return false;
    for (const p of parts) {
        if (p.length === 0 || p.length > 3) return false;
        for (const c of p) if (c < "0" || c > "9") return false;
        if (Number(p) > 255) return false;
    }
    return parts[0] === "127" || Number(parts[0]) === 127;
}

/** Expands an IPv6 address to 8 numbers; undefined when malformed. A trailing embedded IPv4 counts as 2 groups. */
export function ipv6Groups(addr: string): number[] | undefined {
    if (addr.length === 0 || addr.length > 64) return undefined;
    const halves = addr.split("::");
    if (halves.length > 2) return undefined;
    const parse = (part: string): number[] | undefined => {
        if (part === "") return [];
        const out: number[] = [];
        const groups = part.split(":");
        for (let i = 0; i < groups.length; i++) {
            const g = groups[i];
            if (i === groups.length - 1 && g.includes(".")) {
                const o = g.split(".");
                if (o.length !== 4 || o.some((x) => !/^\d{1,3}$/.test(x) || Number(x) > 255)) return undefined;
                out.push(Number(o[0]) * 256 + Number(o[1]), Number(o[2]) * 256 + Number(o[3]));
                continue;
            }
            if (!/^[0-9a-f]{1,4}$/.test(g)) return undefined;
            out.push(parseInt(g, 16));
        }
        return out;
    };
    const head = parse(halves[0]);
    const tail = halves.length === 2 ? parse(halves[1]) : [];
    if (!head || !tail) return undefined;
    if (halves.length === 1) return head.length === 8 ? head : undefined;
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return undefined;
    return [...head, ...new Array(missing).fill(0), ...tail];
}

function isIpv6Loopback(addr: string): boolean {
    const g = ipv6Groups(addr.split("%")[0]);
    if (!g) return false;
    if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return true;
    // IPv4-mapped loopback ::ffff:127.x.x.x
    return g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff && g[6] >> 8 === 127;
}

/** The host of an http(s) URL, lower-cased, without user info, port or brackets; undefined when there is none. */
export function hostOf(url: string): { host: string; ipv6: boolean } | undefined {
    const schemeEnd = url.indexOf("://");
    if (schemeEnd < 0) return undefined;
    let rest = url.slice(schemeEnd + 3);
    for (const sep of ["/", "?", "#"]) {
        const i = rest.indexOf(sep);
        if (i >= 0) rest = rest.slice(0, i);
    }
    const at = rest.lastIndexOf("@");
    if (at >= 0) rest = rest.slice(at + 1);
    if (rest.startsWith("[")) {
        const close = rest.indexOf("]");
        if (close < 0) return undefined;
        return { host: rest.slice(1, close).toLowerCase(), ipv6: true };
    }
    const colon = rest.indexOf(":");
    if (colon >= 0) rest = rest.slice(0, colon);
    rest = rest.toLowerCase();
    while (rest.endsWith(".")) rest = rest.slice(0, -1);
    return rest ? { host: rest, ipv6: false } : undefined;
}

export function isLoopbackHost(h: { host: string; ipv6: boolean }): boolean {
    if (h.ipv6) return isIpv6Loopback(h.host);
    return h.host === "localhost" || h.host.endsWith(".localhost") || isIpv4Loopback(h.host);
}

export function checkVaultProviderTls(subject: ResourceSubject): Outcome {
    if (subject.type !== VAULT_PROVIDER_TYPE) return notApplicable(`applies only to ${VAULT_PROVIDER_TYPE}`);
    const address = readString(subject.props, ["address"]);
    if (address.kind === "unknown") return notApplicable(`address of Vault provider '${subject.name}' is unknown during preview; checked at update`);
    if (address.kind === "absent" || (address.kind === "known" && address.value.trim() === "")) {
        return notApplicable(`Vault provider '${subject.name}' sets no address: it comes from VAULT_ADDR when the program runs`);
    }
    if (address.kind === "invalid") return notApplicable(`address of Vault provider '${subject.name}' is not a string`);
    const url = address.value.trim();
    const scheme = url.slice(0, Math.max(0, url.indexOf("://"))).toLowerCase();
    if (scheme === "https") return findings();
    if (scheme !== "http") return notApplicable(`address of Vault provider '${subject.name}' is not an http:// or https:// URL`);
    const host = hostOf(url);
    if (host && isLoopbackHost(host)) return findings();
    return findings({
        message: `Vault provider '${subject.name}' connects to a non-loopback Vault address over plain http:// (property address): ` +
            "the Vault token and every secret read or written travel unencrypted. Use an https:// address " +
            "(set `vault:address` or the provider's address to https://...), and configure caCertFile/caCertDir for a private CA.",
    });
}
