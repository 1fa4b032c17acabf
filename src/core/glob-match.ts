const STAR = 0x2a // '*'
const QUESTION = 0x3f // '?'

/** UTF-16 units of the code point at `i` (2 for a surrogate pair, else 1). */
function width(text: string, i: number): number {
  const c = text.charCodeAt(i)
  if (c < 0xd800 || c > 0xdbff || i + 1 >= text.length) return 1
  const d = text.charCodeAt(i + 1)
  return d >= 0xdc00 && d <= 0xdfff ? 2 : 1
}

/**
 * Match `text` against a glob of `*` (any run of characters, also empty, also across `/`)
 * and `?` (exactly one character, a whole code point); every other character stands for
 * itself (no escapes, no classes). This is Kyverno's wildcard semantics.
 *
 * No backtracking: only the latest `*` is ever widened. Whatever came before it matched the
 * shortest possible prefix, and any text an earlier `*` could take the latest one can take
 * too, so retrying earlier stars can never turn a failure into a match. The worst case is
 * O(pattern × text) steps; a pattern like `*?*?*?…` against a long text stays quick, where
 * a regular expression built from it would backtrack exponentially.
 */
export function globMatch(pattern: string, text: string): boolean {
  const pn = pattern.length
  const tn = text.length
  let p = 0
  let t = 0
  // Where to resume after the latest star: its continuation in the pattern, and the first
  // character of text it has not swallowed yet.
  let resumeP = -1
  let resumeT = 0
  while (t < tn) {
    if (p < pn) {
      const c = pattern.charCodeAt(p)
      if (c === STAR) {
        p++
        if (p === pn) return true
        resumeP = p
        resumeT = t
        continue
      }
      if (c === QUESTION) {
        p++
        t += width(text, t)
        continue
      }
      if (c === text.charCodeAt(t)) {
        p++
        t++
        continue
      }
    }
    if (resumeP < 0) return false
    // Let the latest star swallow one more character and try again from there.
    resumeT += width(text, resumeT)
    p = resumeP
    t = resumeT
  }
  while (p < pn && pattern.charCodeAt(p) === STAR) p++
  return p === pn
}
