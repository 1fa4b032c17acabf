import { escapePointerToken, isRecord, parsePointer } from '../core/index.js'

/**
 * Replace array indexes in a pointer by `[name]` where the element is an object
 * with a string `name` (containers, volumes, env, ports), so the path identifies
 * the same field after list items are reordered.
 *
 * @example stablePath(pod, '/spec/containers/1/image') === '/spec/containers/[app]/image'
 */
export function stablePath(root: unknown, pointer: string): string {
  if (pointer !== '' && !pointer.startsWith('/')) parsePointer(pointer) // throws the usual error
  let node = root
  let out = ''
  // Token by token without an array of them: every finding's path passes through here.
  for (let from = 1; from <= pointer.length && pointer !== '';) {
    let to = pointer.indexOf('/', from)
    if (to < 0) to = pointer.length
    const raw = pointer.slice(from, to)
    from = to + 1
    const token = raw.includes('~') ? raw.replace(/~1/g, '/').replace(/~0/g, '~') : raw
    if (Array.isArray(node)) {
      const item: unknown = node[Number(token)]
      out += isRecord(item) && typeof item.name === 'string' ? `/[${escapePointerToken(item.name)}]` : `/${token}`
      node = item
    } else {
      out += `/${escapePointerToken(token)}`
      node = isRecord(node) ? node[token] : undefined
    }
  }
  return out
}
