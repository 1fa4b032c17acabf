/**
 * The deepest nesting of arrays and objects in a JSON text, scanning bytes (no
 * recursion, no parse). Stops as soon as `limit` is exceeded and returns limit + 1, so
 * a hostile body costs one linear pass at most. Brackets inside strings do not count.
 */
export function jsonDepthExceeds(bytes: Uint8Array, limit: number): boolean {
  let depth = 0
  let inString = false
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number
    if (inString) {
      if (b === 0x5c) i++ // backslash: skip the escaped byte (a quote or another backslash)
      else if (b === 0x22) inString = false
    } else if (b === 0x22) inString = true
    else if (b === 0x7b || b === 0x5b) {
      if (++depth > limit) return true
    } else if (b === 0x7d || b === 0x5d) depth--
  }
  return false
}
