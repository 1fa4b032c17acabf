import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type Document,
  type LineCounter,
  type Pair,
  type Scalar,
  type YAMLMap,
} from 'yaml'
import { escapePointerToken } from '../core/index.js'

/*
 * Test support: the position the `yaml` package gives for every JSON Pointer of a document,
 * used as the reference that locate() must match. Walks like kubectl reads: aliases are
 * followed, merged keys (`<<`) point at their definition in the anchored mapping.
 */

/** A pointer with the 1-based line and column `yaml` gives for its node. */
export interface ReferencePosition {
  pointer: string
  line: number
  column: number
  offset: number
}

/** Every pointer of a parsed `yaml` document, up to `limit` of them. */
export function referencePositions(doc: Document.Parsed, lines: LineCounter, limit = 100_000): ReferencePosition[] {
  const out: ReferencePosition[] = []
  const at = (pointer: string, offset: number) => {
    const { line, col } = lines.linePos(offset)
    out.push({ pointer, line, column: col, offset })
  }
  const walk = (node: unknown, pointer: string, depth: number): void => {
    if (out.length >= limit || depth > 200) return
    const resolved = isAlias(node) ? node.resolve(doc) : node
    if (isMap(resolved)) {
      for (const [key, pair] of effectivePairs(doc, resolved, 0)) {
        const child = `${pointer}/${escapePointerToken(key)}`
        at(child, (pair.key as { range: [number, number, number] }).range[0])
        walk(pair.value, child, depth + 1)
      }
    } else if (isSeq(resolved)) {
      resolved.items.forEach((item, index) => {
        const child = `${pointer}/${index}`
        at(child, (item as { range: [number, number, number] }).range[0])
        walk(item, child, depth + 1)
      })
    }
  }
  const root = doc.contents as { range: [number, number, number] } | null
  if (root) at('', root.range[0])
  walk(doc.contents, '', 0)
  return out
}

/**
 * A key as `yaml` reads it, except where its YAML 1.1 float pattern turns a plain `.`, `e0`
 * or `-._` into NaN: those are strings for go-yaml (and for `yaml` itself in 1.2 mode).
 */
function keyName(key: Scalar): string {
  const { value, source } = key
  return typeof value === 'number' && Number.isNaN(value) && typeof source === 'string' && !/^\.nan$/i.test(source)
    ? source
    : String(value)
}

function isMerge(pair: Pair): boolean {
  return isScalar(pair.key) && pair.key.type === 'PLAIN' && pair.key.source === '<<'
}

/** Key -> pair as the object has them: explicit keys first, then keys from merge sources in order. */
function effectivePairs(doc: Document.Parsed, map: YAMLMap, depth: number): Map<string, Pair> {
  const pairs = new Map<string, Pair>()
  for (const pair of map.items) if (!isMerge(pair) && isScalar(pair.key)) pairs.set(keyName(pair.key), pair)
  if (depth > 20) return pairs
  for (const merge of map.items.filter(isMerge)) {
    const source = isAlias(merge.value) ? merge.value.resolve(doc) : merge.value
    for (const item of isSeq(source) ? source.items : [source]) {
      const candidate = isAlias(item) ? item.resolve(doc) : item
      if (!isMap(candidate)) continue
      for (const [key, pair] of effectivePairs(doc, candidate, depth + 1)) if (!pairs.has(key)) pairs.set(key, pair)
    }
  }
  return pairs
}
