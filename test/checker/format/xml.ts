// A minimal, strict XML 1.0 well-formedness checker and tree builder for the junit tests (no dependency, no regex
// over the whole document). Supports what the junit formatter may emit: an XML declaration, elements, attributes,
// text, the five predefined entities and numeric character references. Anything else is an error.
export interface XmlElement {
    name: string;
    attrs: Record<string, string>;
    children: XmlElement[];
    text: string;
}

const NAME_START = /[A-Za-z_:]/;
const NAME_CHAR = /[A-Za-z0-9_:.-]/;

function isXmlChar(c: number): boolean {
    return c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
}

export function parseXml(doc: string): XmlElement {
    let i = 0;
    const err = (m: string): never => {
        throw new Error(`XML not well-formed at offset ${i}: ${m}`);
    };
    for (const ch of doc) if (!isXmlChar(ch.codePointAt(0)!)) err(`illegal character U+${ch.codePointAt(0)!.toString(16)}`);
    const ws = () => {
        while (i < doc.length && " \t\r\n".includes(doc[i])) i++;
    };
    const name = (): string => {
        const s = i;
        if (!NAME_START.test(doc[i] ?? "")) err("expected a name");
        i++;
        while (i < doc.length && NAME_CHAR.test(doc[i])) i++;
        return doc.slice(s, i);
    };
    const decode = (s: string, inAttr: boolean): string => {
        let out = "";
        for (let k = 0; k < s.length; k++) {
            const ch = s[k];
            if (ch === "<") err("'<' in text or attribute");
            if (ch === "&") {
                const end = s.indexOf(";", k);
                if (end < 0) err("unterminated entity");
                const ent = s.slice(k + 1, end);
                const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
                if (named[ent] !== undefined) out += named[ent];
                else if (/^#[0-9]+$/.test(ent) || /^#x[0-9a-fA-F]+$/.test(ent)) {
                    const cp = ent[1] === "x" ? parseInt(ent.slice(2), 16) : parseInt(ent.slice(1), 10);
                    if (!isXmlChar(cp)) err(`character reference to illegal character ${ent}`);
                    out += String.fromCodePoint(cp);
                } else err(`unknown entity &${ent};`);
                k = end;
            } else if (inAttr && (ch === "\t" || ch === "\n" || ch === "\r")) out += " "; // attribute-value normalisation
            else out += ch;
        }
        return out;
    };
    if (doc.startsWith("<?xml")) {
        const end = doc.indexOf("?>");
        if (end < 0) err("unterminated XML declaration");
        i = end + 2;
    }
    ws();
    const element = (): XmlElement => {
        if (doc[i] !== "<") err("expected '<'");
        i++;
        const el: XmlElement = { name: name(), attrs: {}, children: [], text: "" };
        for (;;) {
            const before = i;
            ws();
            if (doc.startsWith("/>", i)) {
                i += 2;
                return el;
            }
            if (doc[i] === ">") {
                i++;
                break;
            }
            if (i === before) err("expected whitespace before attribute");
            const an = name();
            if (an in el.attrs) err(`duplicate attribute ${an}`);
            ws();
            if (doc[i] !== "=") err("expected '='");
            i++;
            ws();
            const q = doc[i];
            if (q !== '"' && q !== "'") err("attribute value must be quoted");
            const end = doc.indexOf(q, i + 1);
            if (end < 0) err("unterminated attribute value");
            el.attrs[an] = decode(doc.slice(i + 1, end), true);
            i = end + 1;
        }
        for (;;) {
            const lt = doc.indexOf("<", i);
            if (lt < 0) err(`unclosed element <${el.name}>`);
            el.text += decode(doc.slice(i, lt), false);
            i = lt;
            if (doc.startsWith("</", i)) {
                i += 2;
                const n = name();
                if (n !== el.name) err(`</${n}> closes <${el.name}>`);
                ws();
                if (doc[i] !== ">") err("expected '>'");
                i++;
                return el;
            }
            if (doc.startsWith("<!--", i) || doc.startsWith("<?", i) || doc.startsWith("<!", i)) err("comments, PIs and declarations not expected");
            el.children.push(element());
        }
    };
    const root = element();
    ws();
    if (i !== doc.length) err("content after the root element");
    return root;
}

export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
    return el.children.filter((c) => c.name === name);
}
