import { escapePointerToken, isRecord, parsePointer } from '../core/index.js'

/**
 * Replace array indexes in a pointer by `[name]` where the element is an object
 * with a string `name` (containers, volumes, env, ports), so the path identifies
 * the same field after list items are reordered.
 *
 * @example stablePath(pod, '/spec/containers/1/image') === '/spec/containers/[app]/image'
 */
export function stablePath(root: unknown, pointer: string): string {
  if (pointer === '') return ''
  if (!pointer.startsWith('/')) parsePointer(pointer) // throws the usual error
  let node = root
  // Every finding's path passes through here: token by token without an array of them, and
  // only the tokens that change are rebuilt. `out` holds the text up to `copied`; a pointer
  // without a named item (or an escape) is returned as it is, the same string.
  let out: string | undefined
  let copied = 0
  for (let from = 1; from <= pointer.length;) {
    let to = pointer.indexOf('/', from)
    if (to < 0) to = pointer.length
    const raw = pointer.slice(from, to)
    const escaped = raw.includes('~')
    const token = escaped ? raw.replace(/~1/g, '/').replace(/~0/g, '~') : raw
    let replaced: string | undefined
    if (Array.isArray(node)) {
      const item: unknown = node[Number(token)]
      if (isRecord(item) && typeof item.name === 'string') replaced = `/[${escapePointerToken(item.name)}]`
      else if (escaped) replaced = `/${token}`
      node = item
    } else {
      // A token without `~` has no `/` either: escaping it gives it back.
      if (escaped) replaced = `/${escapePointerToken(token)}`
      node = isRecord(node) ? node[token] : undefined
    }
    if (replaced !== undefined) {
      out = (out ?? '') + pointer.slice(copied, from - 1) + replaced
      copied = to
    }
    from = to + 1
  }
  return out === undefined ? pointer : out + pointer.slice(copied)
}
