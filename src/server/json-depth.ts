/**
 * True when a JSON text nests arrays and objects deeper than `limit`, found by scanning
 * bytes (no recursion, no parse) and stopping as soon as the limit is passed, so a hostile
 * body costs one linear pass at most. Strings are skipped with the native indexOf (a
 * quote preceded by an odd number of backslashes is escaped); brackets inside them do not
 * count. An unterminated string ends the scan: JSON.parse rejects the text anyway.
 */
export function jsonDepthExceeds(bytes: Uint8Array, limit: number): boolean {
  let depth = 0
  const n = bytes.length
  for (let i = 0; i < n; i++) {
    const b = bytes[i] as number
    if (b === 0x22) {
      let end = i
      for (;;) {
        end = bytes.indexOf(0x22, end + 1)
        if (end < 0) return false
        let backslashes = 0
        while (bytes[end - 1 - backslashes] === 0x5c) backslashes++
        if (backslashes % 2 === 0) break
      }
      i = end
    } else if (b === 0x7b || b === 0x5b) {
      if (++depth > limit) return true
    } else if (b === 0x7d || b === 0x5d) depth--
  }
  return false
}
