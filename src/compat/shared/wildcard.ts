import { globMatch } from '../../core/index.js'

/** True when the pattern has a `*` or `?` wildcard. */
export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?')
}

/**
 * Kyverno's wildcard match: `*` is any run of characters (also empty, also across `/`),
 * `?` exactly one character, everything else itself; no escapes, no classes. Linear-ish
 * (O(pattern × value) at worst, see globMatch): operators such as AnyIn use the resource's
 * own values as patterns, so a backtracking regular expression here would let one
 * annotation of `*?*?…` stall a scan or the webhook.
 */
export function wildcardMatch(pattern: string, value: string): boolean {
  if (!hasWildcard(pattern)) return pattern === value
  return globMatch(pattern, value)
}
