/**
 * A JavaScript RegExp equivalent of an RE2 pattern, for the patterns where both engines
 * agree and a backtracking engine is still linear: no quantifiers at all (so no loops to
 * backtrack into), no flags, and only syntax whose meaning is the same in both (`.` and
 * `\s` are rewritten to RE2's definitions). Anything else returns undefined and stays
 * with re2js. Typical allow-lists such as `^(ghcr\.io|registry\.example\.com)/` qualify.
 */

const SYNTAX_ESCAPES = '.^$*+?()[]{}|\\/'
const RE2_SPACE = '\\t\\n\\f\\r '

/** Translate a quantifier-free RE2 pattern, or undefined when it uses anything else. */
export function nativeEquivalent(pattern: string): RegExp | undefined {
  let out = ''
  let inClass = false
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string
    if (c === '\\') {
      const next = pattern[++i]
      if (next === undefined) return undefined
      if (next === 'd' || next === 'w' || next === 'n' || next === 't' || next === 'r' || next === 'f') out += `\\${next}`
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
        if (pattern[i + 1] === '?') {
          if (pattern[i + 2] !== ':') return undefined
          out += '(?:'
          i += 2
        } else out += c
        break
      case ')':
      case '|':
        out += c
        break
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
  if (inClass) return undefined
  try {
    return new RegExp(out, 'u')
  } catch {
    return undefined
  }
}
