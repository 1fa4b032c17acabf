const cache = new Map<string, RegExp>()

/** True when the pattern has a `*` or `?` wildcard. */
export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?')
}

/**
 * Kyverno's wildcard match: `*` is any run of characters (also empty, also across `/`),
 * `?` exactly one character, everything else itself; no escapes, no classes.
 */
export function wildcardMatch(pattern: string, value: string): boolean {
  if (!hasWildcard(pattern)) return pattern === value
  let re = cache.get(pattern)
  if (re === undefined) {
    const body = [...pattern].map((c) => (c === '*' ? '[\\s\\S]*' : c === '?' ? '[\\s\\S]' : c.replace(/[\\^$.+()[\]{}|]/g, '\\$&'))).join('')
    re = new RegExp(`^${body}$`, 'u')
    if (cache.size > 10_000) cache.clear()
    cache.set(pattern, re)
  }
  return re.test(value)
}
