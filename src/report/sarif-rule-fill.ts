/**
 * The rule-index markers of spooled SARIF results (sarifResultsText: `"ruleIndex":
 * "\u0000rule:N\u0000"`, N the policy's place in the set) filled in on the UTF-8 bytes, so a
 * streamed report copies the spool without decoding it to text and encoding it again. The
 * same bytes as formatSarifReport's replacement on text (the markers are ASCII, and UTF-8
 * never holds an ASCII byte inside another character).
 */
const START = Buffer.from('"ruleIndex": "\\u0000rule:', 'latin1')
const END = Buffer.from('\\u0000"', 'latin1')
const ZERO = 0x30
const NINE = 0x39

/**
 * `bytes` with every marker replaced by `"ruleIndex": ` and `byOrder[N]`, filled in place
 * (a filled marker is always shorter than the marker), as a view of the same memory: the
 * caller gives up `bytes`.
 */
export function fillRuleIndexes(bytes: Uint8Array, byOrder: readonly number[]): Buffer {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const filled = new Map<number, Buffer>()
  let read = 0
  let write = 0
  for (let at = buf.indexOf(START); at >= 0; at = buf.indexOf(START, at + 1)) {
    let end = at + START.length
    let order = 0
    while (end < buf.length && (buf[end] as number) >= ZERO && (buf[end] as number) <= NINE)
      order = order * 10 + (buf[end++] as number) - ZERO
    if (end === at + START.length || !buf.subarray(end, end + END.length).equals(END)) continue
    end += END.length
    let text = filled.get(order)
    if (!text) filled.set(order, (text = Buffer.from(`"ruleIndex": ${byOrder[order]}`, 'latin1')))
    if (text.length > end - at) throw new Error(`sarif: rule index ${order} longer than its marker`)
    write += buf.copy(buf, write, read, at)
    write += text.copy(buf, write)
    read = end
    at = end - 1
  }
  if (read === 0) return buf
  write += buf.copy(buf, write, read)
  return buf.subarray(0, write)
}
