/**
 * A JavaScript RegExp equivalent of an RE2 pattern, for the patterns where both engines
 * agree and a backtracking engine is still linear: no quantifiers at all (so no loops to
 * backtrack into), no flags, and only syntax whose meaning is the same in both (`.` and
 * `\s` are rewritten to RE2's definitions). Anything else returns undefined and stays
 * with re2js. Typical allow-lists such as `^(ghcr\.io|registry\.example\.com)/` qualify.
 *
 * Without quantifiers a backtracking engine still tries every path through the
 * alternations at each start position: `(a|a)(a|a)…` has 2^k of them. Patterns with more
 * than MAX_PATHS paths stay with re2js too.
 */

const SYNTAX_ESCAPES = '.^$*+?()[]{}|\\/'
const RE2_SPACE = '\\t\\n\\f\\r '
/** Most paths through a pattern's alternations that a native RegExp may have to try per position. */
const MAX_PATHS = 256

/** Translate a quantifier-free RE2 pattern, or undefined when it uses anything else. */
export function nativeEquivalent(pattern: string): RegExp | undefined {
  let out = ''
  let inClass = false
  // Paths through the alternations: per open group, the sum over finished alternatives and
  // the product over the groups of the current one.
  const groups: { sum: number; product: number }[] = [{ sum: 0, product: 1 }]
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string
    if (c === '\\') {
      const next = pattern[++i]
      if (next === undefined) return undefined
      if (next === 'd' || next === 'w' || next === 'n' || next === 't' || next === 'r' || next === 'f')
        out += `\\${next}`
      else if (next === 's') out += inClass ? RE2_SPACE : `[${RE2_SPACE}]`
      else if (SYNTAX_ESCAPES.includes(next)) out += `\\${next}`
      else if (next === '-') out += inClass ? '\\-' : '-'
      else return undefined
      continue
    }
    if (inClass) {
      if (c === '[') return undefined
      if (c === ']') inClass = false
      out += c
      continue
    }
    switch (c) {
      case '[':
        if (pattern[i + 1] === ']' || (pattern[i + 1] === '^' && pattern[i + 2] === ']')) return undefined
        inClass = true
        out += c
        break
      case '.':
        out += '[^\\n]'
        break
      case '(':
        groups.push({ sum: 0, product: 1 })
        if (pattern[i + 1] === '?') {
          if (pattern[i + 2] !== ':') return undefined
          out += '(?:'
          i += 2
        } else out += c
        break
      case ')': {
        const group = groups.pop()
        const outer = groups[groups.length - 1]
        if (group === undefined || outer === undefined) return undefined
        outer.product *= group.sum + group.product
        if (outer.product > MAX_PATHS) return undefined
        out += c
        break
      }
      case '|': {
        const group = groups[groups.length - 1] as { sum: number; product: number }
        group.sum += group.product
        group.product = 1
        out += c
        break
      }
      case '^':
        if (i !== 0) return undefined
        out += c
        break
      case '$':
        if (i !== pattern.length - 1) return undefined
        out += c
        break
      case '*':
      case '+':
      case '?':
      case '{':
      case '}':
      case ']':
        return undefined
      default:
        out += c
    }
  }
  if (inClass || groups.length !== 1) return undefined
  try {
    return new RegExp(out, 'u')
  } catch {
    return undefined
  }
}
