import { parsePointer, type PatchOperation } from '../../core/index.js'

/** A copy that shares nothing (aliases in the source become separate values, as in JSON). */
function copyTree(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyTree)
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, copyTree(child)]))
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/**
 * What a document must read as after the operation: RFC 6902 on plain data, with `add`
 * creating missing parent mappings (and replacing a null parent). Undefined when the
 * operation cannot apply. The text edit is checked against this, whole document included.
 */
export function patchedValue(before: unknown, operation: PatchOperation): unknown {
  const tokens = parsePointer(operation.path)
  const last = tokens.pop()
  if (last === undefined) return operation.op === 'remove' ? undefined : copyTree(operation.value)
  const root = before === null && operation.op === 'add' ? {} : copyTree(before)
  let parent: unknown = root
  let holder: Record<string, unknown> | unknown[] | undefined
  let holderKey = ''
  for (const [i, token] of tokens.entries()) {
    const following = tokens[i + 1] ?? last
    if (operation.op === 'add' && parent === null && holder !== undefined) {
      parent = {}
      ;(holder as Record<string, unknown>)[holderKey] = parent
    }
    const next = Array.isArray(parent) ? parent[Number(token)] : isRecord(parent) ? parent[token] : undefined
    if (next === undefined) {
      if (operation.op !== 'add' || !isRecord(parent)) return undefined
      parent[token] = following === '-' ? [] : {}
    }
    holder = parent as Record<string, unknown>
    holderKey = token
    parent = (parent as Record<string, unknown>)[token]
  }
  if (operation.op === 'add' && parent === null && holder !== undefined) {
    parent = {}
    ;(holder as Record<string, unknown>)[holderKey] = parent
  }
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last)
    if (operation.op === 'add') parent.splice(index, 0, copyTree(operation.value))
    else if (operation.op === 'replace') parent[index] = copyTree(operation.value)
    else parent.splice(index, 1)
  } else if (isRecord(parent)) {
    if (operation.op === 'remove') delete parent[last]
    else parent[last] = copyTree(operation.value)
  } else {
    return undefined
  }
  return root
}
