/**
 * Characters XML 1.0 cannot carry at all, not even as character references: C0 controls
 * but tab, LF and CR; U+FFFE and U+FFFF; and lone surrogates (the `u` flag makes a lone
 * surrogate a match of its own while a valid pair stays one character).
 */
// eslint-disable-next-line no-control-regex
const ILLEGAL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udfff]/gu

/** Illegal characters become the visible text `\uXXXX`, so the information survives. */
function legal(text: string): string {
  return text.replace(ILLEGAL, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`)
}

/** Escape text content. `>` too, so that `]]>` can never appear. */
export function escapeText(text: string): string {
  return legal(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** Escape an attribute value for double quotes; tab, LF and CR as references, which attribute normalisation keeps. */
export function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;')
}

/** `name="value"` pairs, escaped; undefined values are left out. */
export function attributes(attrs: Readonly<Record<string, string | number | undefined>>): string {
  return Object.entries(attrs)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([name, value]) => ` ${name}="${escapeAttribute(String(value))}"`)
    .join('')
}
