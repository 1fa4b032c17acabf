import { escapePointerToken, isRecord, parsePointer } from '../core/index.js'

/**
 * Replace array indexes in a pointer by `[name]` where the element is an object
 * with a string `name` (containers, volumes, env, ports), so the path identifies
 * the same field after list items are reordered.
 *
 * @example stablePath(pod, '/spec/containers/1/image') === '/spec/containers/[app]/image'
 */
export function stablePath(root: unknown, pointer: string): string {
  let node = root
  let out = ''
  for (const token of parsePointer(pointer)) {
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
