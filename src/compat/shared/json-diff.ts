import { escapePointerToken, isRecord, type PatchOperation } from '../../core/index.js'

/**
 * The RFC 6902 operations (add, remove, replace) that turn `before` into `after`, each
 * valid on the document as the operations before it left it: maps key by key, lists
 * element by element when only their tail grew or shrank, else replaced whole. This is
 * how a mutation (a MutatingPolicy's patched object) is handed on as a patch: to the
 * webhook's /mutate response and to fixes. Pure.
 */
export function diffPatch(before: unknown, after: unknown, path = ''): PatchOperation[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return []
  if (isRecord(before) && isRecord(after)) {
    const ops: PatchOperation[] = []
    for (const k of Object.keys(before))
      if (!Object.hasOwn(after, k)) ops.push({ op: 'remove', path: `${path}/${escapePointerToken(k)}` })
    for (const [k, v] of Object.entries(after)) {
      const at = `${path}/${escapePointerToken(k)}`
      if (!Object.hasOwn(before, k)) ops.push({ op: 'add', path: at, value: v })
      else ops.push(...diffPatch(before[k], v, at))
    }
    return ops
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const common = Math.min(before.length, after.length)
    const ops: PatchOperation[] = []
    for (let i = 0; i < common; i++) ops.push(...diffPatch(before[i], after[i], `${path}/${i}`))
    // Remove from the end so indexes stay valid; append in order.
    for (let i = before.length - 1; i >= common; i--) ops.push({ op: 'remove', path: `${path}/${i}` })
    for (let i = common; i < after.length; i++) ops.push({ op: 'add', path: `${path}/${i}`, value: after[i] })
    return ops
  }
  return [{ op: 'replace', path, value: after }]
}
