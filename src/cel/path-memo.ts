import type { ASTNode } from '@marcbachmann/cel-js'
import { UNSET, type Ctx, type Ev, type PathMemo } from './frame.js'

/**
 * Common paths into the activation (`object.metadata.labels` in `has(object.metadata.labels)
 * && object.metadata.labels.team == 'x'`) are read once per evaluation: a path of two or more
 * fields that occurs more than once gets a frame slot, reset to UNSET when the program starts.
 */

type SelectNode = ASTNode & { op: '.'; args: [ASTNode, string] }

/** Count every prefix of every field path rooted at an identifier ("object.spec", "object.spec.x"). */
export function countPaths(ast: ASTNode): Map<string, number> {
  const counts = new Map<string, number>()
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const n of node) visit(n)
      return
    }
    if (node === null || typeof node !== 'object' || !('op' in node)) return
    const n = node as ASTNode
    if (n.op === '.') {
      const keys: string[] = []
      let cur: ASTNode = n
      while (cur.op === '.') {
        keys.unshift((cur as SelectNode).args[1])
        cur = (cur as SelectNode).args[0]
      }
      if (cur.op === 'id') {
        let path = cur.args
        for (const k of keys) {
          path += `.${k}`
          counts.set(path, (counts.get(path) ?? 0) + 1)
        }
        return
      }
      visit(cur)
      return
    }
    if (n.op !== 'value' && n.op !== 'id') visit(n.args)
  }
  visit(ast)
  return counts
}

/**
 * For a path `root.k0.k1...` whose root is an activation variable: the longest prefix
 * used more than once, as [number of keys, memoised closure computing it], or undefined.
 */
export function memoPrefix(
  memo: PathMemo,
  ctx: Ctx,
  rootName: string,
  keys: readonly string[],
  compute: (n: number) => Ev,
): [number, Ev] | undefined {
  let best = 0
  let path = rootName
  const paths: string[] = []
  for (let i = 0; i < keys.length; i++) {
    path += `.${keys[i] as string}`
    paths.push(path)
    // One-key paths are not worth a slot: a memo check costs about as much as the read.
    if (i > 0 && (memo.counts.get(path) ?? 0) > 1) best = i + 1
  }
  if (best === 0) return undefined
  const key = paths[best - 1] as string
  let slot = memo.slots.get(key)
  if (slot === undefined) {
    slot = ctx.slotCount++
    memo.slots.set(key, slot)
  }
  const s = slot
  const C = compute(best)
  const ev: Ev = (f) => {
    const v = f.slots[s]
    if (v !== UNSET) return v
    const r = C(f)
    f.slots[s] = r
    return r
  }
  return [best, ev]
}
