import { isMap, isScalar, isSeq, parseAllDocuments, type Node } from 'yaml'
import { escapePointerToken } from '../core/index.js'

/**
 * The document and JSON Pointer of the node that starts at `offset` (a mapping key or a
 * list item, as `locate` reports them), found from the `yaml` package's node ranges. The
 * inverse of `locate` for what it returns exactly. Undefined when no node starts there, or
 * the way passes through an alias or a key that is not a plain scalar. A list item that is
 * a mapping starts where its first key does: `want` picks the item (default) or the key.
 */
export function pointerAt(
  text: string,
  offset: number,
  want: 'key' | 'item' = 'item',
): { document: number; pointer: string } | undefined {
  const docs = parseAllDocuments(text, { version: '1.1', merge: true })
  if (!Array.isArray(docs)) return undefined
  for (const [index, doc] of docs.entries()) {
    const [start, , end] = doc.range
    if (offset < start || offset > end) continue
    const found = walk(doc.contents as Node | null, offset, '', want)
    return found === undefined ? undefined : { document: index, pointer: found }
  }
  return undefined
}

function walk(node: Node | null, offset: number, at: string, want: 'key' | 'item'): string | undefined {
  if (!node || !node.range) return undefined
  if (node.range[0] === offset && at === '') return ''
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = pair.key as Node | null
      if (!isScalar(key) || !key.range) return undefined
      const here = `${at}/${escapePointerToken(String(key.value))}`
      if (key.range[0] === offset) return here
      const value = pair.value as Node | null
      if (value?.range && offset >= value.range[0] && offset <= value.range[2]) return walk(value, offset, here, want)
    }
  } else if (isSeq(node)) {
    for (const [i, item] of node.items.entries()) {
      const n = item as Node | null
      if (!n?.range) continue
      const here = `${at}/${i}`
      // An item that is a mapping starts where its first key does: `want` says which of the two is meant.
      if (n.range[0] === offset && (want === 'item' || !isMap(n))) return here
      if (offset >= n.range[0] && offset <= n.range[2]) return walk(n, offset, here, want)
    }
  }
  return undefined
}
