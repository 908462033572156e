/** XML text and attribute values: escaped, and stripped of what XML 1.0 cannot carry at all. */

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
  "\t": "&#9;",
  "\n": "&#10;",
  "\r": "&#13;",
};

/** XML 1.0's `Char`: tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD, U+10000 and above (no lone surrogates). */
function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    cp >= 0x10000
  );
}

/** Drops what no escape can carry into an XML document (other control characters, U+FFFE/U+FFFF, lone surrogates). */
export function xmlChars(text: string): string {
  let out = "";
  for (const ch of text) if (isXmlChar(ch.codePointAt(0) ?? 0)) out += ch;
  return out;
}

/** Safe inside an attribute value or element text; tabs and newlines survive as character references. */
export function escapeXml(text: string): string {
  return xmlChars(text).replace(/[&<>"'\t\n\r]/g, (c) => ESCAPES[c] ?? c);
}

/** `name="value"` pairs for the defined values, in order. */
export function attributes(attrs: ReadonlyArray<readonly [string, string | number | undefined]>): string {
  return attrs
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join("");
}
