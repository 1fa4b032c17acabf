import { isRecord, parsePointer } from '../../../core/index.js'
import { CompatError } from '../../shared/errors.js'

/** One RFC 6902 operation as written in patchesJson6902. */
export interface JsonPatchOp {
  op: string
  path: string
  value?: unknown
  from?: string
}

const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T))

const isIndex = (t: string): boolean => t === '-' || /^-?(0|[1-9][0-9]*)$/.test(t)

/**
 * The container of the last token. With `create` (an add), missing parents are created
 * (a list when the next token is an index), as evanphx/json-patch's EnsurePathExistsOnAdd
 * does for Kyverno. Negative indices count from the end.
 */
function parent(doc: unknown, path: string, create = false): { container: unknown; key: string } {
  const tokens = parsePointer(path)
  if (tokens.length === 0)
    throw new CompatError('POLICY_INVALID', `JSON patch path "${path}" points at the document root`)
  let node = doc
  tokens.slice(0, -1).forEach((t, i) => {
    const nextIsIndex = isIndex(tokens[i + 1] as string)
    if (Array.isArray(node)) {
      let idx = Number(t) < 0 ? node.length + Number(t) : t === '-' ? node.length : Number(t)
      if ((idx < 0 || idx >= node.length) && create) {
        node.push(nextIsIndex ? [] : {})
        idx = node.length - 1
      }
      node = node[idx]
    } else if (isRecord(node)) {
      if ((node[t] === undefined || node[t] === null) && create) node[t] = nextIsIndex ? [] : {}
      node = node[t]
    } else node = undefined
    if (node === undefined) throw new CompatError('POLICY_INVALID', `JSON patch path "${path}": parent does not exist`)
  })
  return { container: node, key: tokens[tokens.length - 1] as string }
}

function get(doc: unknown, path: string): unknown {
  let node = doc
  for (const t of parsePointer(path)) {
    if (Array.isArray(node)) node = node[Number(t)]
    else if (isRecord(node)) node = Object.hasOwn(node, t) ? node[t] : undefined
    else return undefined
  }
  return node
}

function index(arr: unknown[], key: string, forAdd: boolean, path: string): number {
  if (forAdd && key === '-') return arr.length
  // On add, -1 appends (-2 inserts before the last element, ...).
  if (forAdd && /^-[1-9][0-9]*$/.test(key)) return Math.max(0, arr.length + Number(key) + 1)
  if (!/^-?(0|[1-9][0-9]*)$/.test(key))
    throw new CompatError('POLICY_INVALID', `JSON patch path "${path}": "${key}" is not an array index`)
  const i = Number(key) < 0 ? arr.length + Number(key) : Number(key)
  if (i < 0) throw new CompatError('POLICY_INVALID', `JSON patch path "${path}": index ${key} out of range`)
  if (i > arr.length || (!forAdd && i >= arr.length))
    throw new CompatError('POLICY_INVALID', `JSON patch path "${path}": index ${i} out of range`)
  return i
}

/**
 * How operations apply: `kyverno` as Kyverno's patchesJson6902 (missing parents created on
 * add, removing a missing path is a no-op), `strict` as the API server applies a
 * MutatingAdmissionPolicy's JSONPatch (RFC 6902: the parent must exist, remove and replace
 * need the path).
 */
export type JsonPatchMode = 'kyverno' | 'strict'

function add(doc: unknown, path: string, value: unknown, create = true): void {
  const { container, key } = parent(doc, path, create)
  if (Array.isArray(container)) container.splice(index(container, key, true, path), 0, value)
  else if (isRecord(container)) container[key] = value
  else throw new CompatError('POLICY_INVALID', `JSON patch path "${path}": parent is not a map or list`)
}

/** Remove a value; a missing path is a no-op (AllowMissingPathOnRemove), unless `strict` (replace, move). */
function remove(doc: unknown, path: string, strict = false): unknown {
  let found: { container: unknown; key: string }
  try {
    found = parent(doc, path)
  } catch (error) {
    if (strict) throw error
    return undefined
  }
  const { container, key } = found
  if (Array.isArray(container)) {
    const n = Number(key)
    if (!strict && (Number.isNaN(n) || (n >= 0 ? n >= container.length : -n > container.length))) return undefined
    return container.splice(index(container, key, false, path), 1)[0]
  }
  if (isRecord(container) && Object.hasOwn(container, key)) {
    const v = container[key]
    delete container[key]
    return v
  }
  if (strict) throw new CompatError('POLICY_INVALID', `JSON patch path "${path}" does not exist`)
  return undefined
}

/** Apply RFC 6902 operations to a copy of a document; a failing operation throws a POLICY_INVALID CompatError. */
export function applyJsonPatch<T>(document: T, ops: readonly JsonPatchOp[], mode: JsonPatchMode = 'kyverno'): T {
  const doc = clone(document)
  const create = mode === 'kyverno'
  for (const op of ops) {
    switch (op.op) {
      case 'add':
        add(doc, op.path, clone(op.value), create)
        break
      case 'remove':
        remove(doc, op.path, !create)
        break
      case 'replace':
        remove(doc, op.path, true)
        add(doc, op.path, clone(op.value), create)
        break
      case 'move': {
        const v = remove(doc, String(op.from ?? ''), true)
        add(doc, op.path, v, create)
        break
      }
      case 'copy':
        add(doc, op.path, clone(get(doc, String(op.from ?? ''))), create)
        break
      case 'test':
        if (JSON.stringify(get(doc, op.path)) !== JSON.stringify(op.value))
          throw new CompatError('POLICY_INVALID', `JSON patch test failed at "${op.path}"`)
        break
      default:
        throw new CompatError('POLICY_INVALID', `unknown JSON patch operation "${op.op}"`)
    }
  }
  return doc
}
