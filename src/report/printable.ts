/**
 * Characters that must not reach a terminal as they are: C0 controls but tab, DEL, C1
 * controls (ESC and CSI start colour and cursor sequences that a hostile manifest could
 * use to rewrite the screen) and the bidirectional overrides and isolates (which reorder
 * what is shown, as in "Trojan Source").
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g

/**
 * Text that is safe to print to a terminal. Each unsafe character becomes exactly one
 * visible character, so columns (and carets under them) stay aligned: C0 controls their
 * Unicode control picture (ESC becomes ␛), the rest U+FFFD.
 */
export function printable(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0)
    return code < 0x20 ? String.fromCharCode(0x2400 + code) : code === 0x7f ? '\u2421' : '\ufffd'
  })
}

/** Text of several lines that is safe to print to a terminal: each line as `printable`, the line breaks kept. */
export function printableLines(text: string): string {
  return text.split('\n').map(printable).join('\n')
}
