import { escapePointerToken, isRecord, parsePointer } from '../core/index.js'

/** One element of a forEach: its value and its JSON Pointer relative to the iterated root. */
export interface Element {
  value: unknown
  pointer: string
}

function resolve(root: unknown, tokens: readonly string[]): unknown {
  let node = root
  for (const token of tokens) {
    if (Array.isArray(node)) node = node[Number(token)]
    else if (isRecord(node)) node = Object.hasOwn(node, token) ? node[token] : undefined
    else return undefined
  }
  return node
}

/** A compiled list of forEach paths. */
export type ElementIterator = (root: unknown) => Element[]

/**
 * Compile forEach paths into an iterator: list items in order, then map entries as
 * `{key, value}`; a missing or scalar path yields nothing.
 */
export function compileIterator(paths: readonly string[]): ElementIterator {
  const compiled = paths.map((p) => ({ pointer: p, tokens: parsePointer(p) }))
  return (root) => {
    const out: Element[] = []
    for (const { pointer, tokens } of compiled) {
      const node = resolve(root, tokens)
      if (Array.isArray(node)) {
        for (let i = 0; i < node.length; i++) out.push({ value: node[i], pointer: `${pointer}/${i}` })
      } else if (isRecord(node)) {
        for (const key of Object.keys(node)) {
          out.push({ value: { key, value: node[key] }, pointer: `${pointer}/${escapePointerToken(key)}` })
        }
      }
    }
    return out
  }
}
