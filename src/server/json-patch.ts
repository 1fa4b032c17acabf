import { isRecord, parsePointer, formatPointer, type PatchOperation } from '../core/index.js'

/**
 * Turn Palisade fix operations (whose `add` creates missing parents) into RFC 6902
 * operations that apply to `object` as it is: an `add` under a missing parent becomes
 * one `add` of the nearest missing ancestor holding the nested value; `replace` and
 * `remove` of paths that do not exist are dropped. Works on a copy it keeps up to date,
 * so later operations see the effect of earlier ones. Pure.
 */
export function toRfc6902(object: Record<string, unknown>, operations: readonly PatchOperation[]): PatchOperation[] {
  const doc = structuredClone(object)
  const out: PatchOperation[] = []
  for (const op of operations) {
    const tokens = parsePointer(op.path)
    if (tokens.length === 0) continue // whole-object replacement is never a safe fix
    let parent: unknown = doc
    let depth = 0
    for (; depth < tokens.length - 1; depth++) {
      const next = child(parent, tokens[depth] as string)
      if (next === undefined) break
      parent = next
    }
    const last = tokens[tokens.length - 1] as string
    if (depth < tokens.length - 1) {
      if (op.op !== 'add' || !isRecord(parent)) continue
      // Build the missing branch bottom-up, then add it at the first missing token.
      let value: unknown = op.value
      // An append (`/-`) under a missing list creates the list.
      for (let i = tokens.length - 1; i > depth; i--)
        value = tokens[i] === '-' ? [value] : { [tokens[i] as string]: value }
      const key = tokens[depth] as string
      parent[key] = structuredClone(value) // the copy evolves; the emitted value must not
      out.push({ op: 'add', path: formatPointer(tokens.slice(0, depth + 1)), value })
      continue
    }
    if (op.op === 'add') {
      if (Array.isArray(parent)) {
        if (last === '-') parent.push(structuredClone(op.value))
        else parent.splice(Number(last), 0, structuredClone(op.value))
      } else if (isRecord(parent)) parent[last] = structuredClone(op.value)
      else continue
      out.push({ op: 'add', path: op.path, value: op.value })
    } else if (child(parent, last) !== undefined) {
      if (op.op === 'replace') setChild(parent, last, structuredClone(op.value))
      else if (Array.isArray(parent)) parent.splice(Number(last), 1)
      else delete (parent as Record<string, unknown>)[last]
      out.push(
        op.op === 'replace' ? { op: 'replace', path: op.path, value: op.value } : { op: 'remove', path: op.path },
      )
    }
  }
  return out
}

function child(container: unknown, token: string): unknown {
  if (Array.isArray(container)) return /^(0|[1-9]\d*)$/.test(token) ? container[Number(token)] : undefined
  return isRecord(container) && Object.hasOwn(container, token) ? container[token] : undefined
}

function setChild(container: unknown, token: string, value: unknown): void {
  if (Array.isArray(container)) container[Number(token)] = value
  else if (isRecord(container)) container[token] = value
}
