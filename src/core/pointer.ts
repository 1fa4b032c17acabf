/**
 * JSON Pointer (RFC 6901) helpers. A pointer is '' for the whole document or
 * '/a/b/0' for a field; '~' and '/' in keys are escaped as '~0' and '~1'.
 */

/** Escape one reference token. */
export function escapePointerToken(token: string | number): string {
  const s = String(token)
  return s.includes('~') || s.includes('/') ? s.replace(/~/g, '~0').replace(/\//g, '~1') : s
}

/** Split a pointer into unescaped tokens. '' gives []. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return []
  if (!pointer.startsWith('/')) throw new Error(`JSON Pointer must start with "/": ${pointer}`)
  // Without a `~` no token has an escape: no callback per token.
  if (!pointer.includes('~')) return pointer.slice(1).split('/')
  return pointer
    .slice(1)
    .split('/')
    .map((t) => (t.includes('~') ? t.replace(/~1/g, '/').replace(/~0/g, '~') : t))
}

/** Build a pointer from tokens. */
export function formatPointer(tokens: readonly (string | number)[]): string {
  let out = ''
  for (const t of tokens) out += '/' + escapePointerToken(t)
  return out
}

/** Join a base pointer and a relative pointer ('' or '/x/y'). */
export function joinPointer(base: string, relative: string): string {
  return relative === '' ? base : base + relative
}

/** Read the value at a pointer, or undefined when any step is missing. */
export function getAtPointer(root: unknown, pointer: string): unknown {
  let node: unknown = root
  for (const token of parsePointer(pointer)) {
    if (Array.isArray(node)) {
      if (!/^(0|[1-9][0-9]*)$/.test(token)) return undefined
      node = node[Number(token)]
    } else if (node !== null && typeof node === 'object') {
      if (!Object.hasOwn(node, token)) return undefined
      node = (node as Record<string, unknown>)[token]
    } else {
      return undefined
    }
  }
  return node
}
