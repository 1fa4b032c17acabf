import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseAllDocuments,
  visit,
  type Document,
  type Node,
  type Pair,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml'
import { getAtPointer, jsonEqual, parsePointer, ToolError, type PatchOperation } from '../../core/index.js'
import { resolvePlainScalar } from '../go-yaml-scalars.js'
import { patchedValue } from './patch-semantics.js'
import { parseManifests } from '../parse-manifests.js'
import { insertItem, insertPair, isNullNode, removeEntry, replaceSlot, type Edit, type Slot } from './patch-edits.js'
import type { Layout } from './patch-render.js'

/** See index.ts. */
export function applyPatch(text: string, documentIndex: number, operations: readonly PatchOperation[]): string {
  let current = text
  for (const operation of operations) current = applyOperation(current, documentIndex, operation)
  return current
}

function applyOperation(text: string, documentIndex: number, operation: PatchOperation): string {
  if (operation.path === '' ? operation.op === 'remove' : !operation.path.startsWith('/'))
    throw invalid(operation, 'the path is not a JSON Pointer to a field')
  const before = documentValue(text, documentIndex)
  if (isApplied(before, operation)) return text
  const doc = parseAllDocuments(text, { version: '1.1', merge: true })
  const target = Array.isArray(doc) ? doc[documentIndex] : undefined
  if (!target || target.errors.length > 0)
    throw new ToolError(
      'YAML_SYNTAX',
      `Document ${documentIndex} cannot be patched: ${target?.errors[0]?.message ?? 'it does not exist'}`,
    )
  const edit = planEdit(text, target, operation, layoutOf(text, target))
  const after = text.slice(0, edit.start) + edit.text + text.slice(edit.end)
  // The edit is checked by reading the whole document back, as kubectl would.
  const expected = patchedValue(before, operation)
  if (expected === undefined || !jsonEqual(documentValue(after, documentIndex), expected)) {
    throw new ToolError('INTERNAL', `Patch ${operation.op} ${operation.path} did not produce the expected document.`)
  }
  return after
}

function documentValue(text: string, documentIndex: number): unknown {
  const parsed = parseManifests(text, 'patch')
  const found = parsed.documents.find((d) => d.index === documentIndex)
  if (!found) {
    const reason = parsed.diagnostics[0]?.message ?? 'it does not exist'
    throw new ToolError('YAML_SYNTAX', `Document ${documentIndex} cannot be patched: ${reason}`)
  }
  return found.object
}

/** Already applied: the value is there (an append: the list holds it), or the removed path is absent. */
function isApplied(value: unknown, operation: PatchOperation): boolean {
  const tokens = parsePointer(operation.path)
  if (operation.op === 'remove') return getAtPointer(value, operation.path) === undefined
  const parent = getAtPointer(value, operation.path.slice(0, operation.path.lastIndexOf('/')))
  if (operation.op === 'add' && tokens[tokens.length - 1] === '-' && Array.isArray(parent)) {
    return parent.some((item) => jsonEqual(item, operation.value))
  }
  return jsonEqual(getAtPointer(value, operation.path), operation.value)
}

function invalid(operation: PatchOperation, why: string): ToolError {
  return new ToolError('RESOURCE_INVALID', `Cannot ${operation.op} ${operation.path}: ${why}.`)
}

function planEdit(text: string, doc: Document.Parsed, operation: PatchOperation, layout: Layout): Edit {
  const shared = aliasedAnchors(doc)
  const unaliased = (node: unknown) => notShared(node, operation, shared, true)
  const owned = (node: unknown) => notShared(node, operation, shared, false)
  const tokens = parsePointer(operation.path)
  const last = tokens.pop()
  if (last === undefined)
    return replaceSlot(text, { kind: 'root', node: doc.contents as Node }, operation.value, layout)
  let node: unknown = doc.contents
  for (const [depth, token] of tokens.entries()) {
    const resolved = unaliased(node)
    const child = isMap(resolved)
      ? ownValue(doc, resolved, token, operation)
      : isSeq(resolved)
        ? resolved.items[arrayIndex(token, resolved.items.length - 1)]
        : undefined
    if (child !== undefined) {
      node = child
      continue
    }
    if (operation.op !== 'add') throw invalid(operation, `${token} does not exist`)
    // Create the missing parents as mappings, in one edit at the deepest existing node.
    return addBelow(text, doc, resolved, [...tokens.slice(depth), last], operation, layout)
  }
  const parent = unaliased(node)
  if (operation.op === 'add') {
    if (isMap(parent)) owned(findPair(parent, last)?.value)
    return addBelow(text, doc, parent, [last], operation, layout)
  }
  if (isMap(parent)) {
    const pair = findPair(parent, last)
    if (pair === undefined)
      throw invalid(
        operation,
        mapValue(doc, parent, last) === undefined ? 'no such key' : 'the key comes from a merge (<<)',
      )
    owned(pair.value)
    if (operation.op === 'replace')
      return replaceSlot(text, { kind: 'pair', map: parent, pair }, operation.value, layout)
    return parent.items.length > 1
      ? removeEntry(text, parent, parent.items.indexOf(pair))
      : emptied(text, doc, parent, {}, layout)
  }
  if (isSeq(parent)) {
    const index = arrayIndex(last, parent.items.length - 1)
    if (index < 0) throw invalid(operation, 'no such item')
    owned(parent.items[index])
    if (operation.op === 'replace')
      return replaceSlot(text, { kind: 'item', seq: parent, index }, operation.value, layout)
    return parent.items.length > 1 ? removeEntry(text, parent, index) : emptied(text, doc, parent, [], layout)
  }
  throw invalid(operation, 'its parent is not a mapping or a list')
}

/** `add` of tokens (the first may be missing) below an existing node. */
function addBelow(
  text: string,
  doc: Document.Parsed,
  parent: unknown,
  tokens: readonly string[],
  operation: PatchOperation,
  layout: Layout,
): Edit {
  const [first, ...rest] = tokens as [string, ...string[]]
  // A missing parent followed by `-` is a new list (`/drop/-` on a container without `drop`).
  const value = rest.reduceRight<unknown>(
    (inner, token) => (token === '-' ? [inner] : { [token]: inner }),
    operation.value,
  )
  if (isMap(parent)) {
    const pair = findPair(parent, first)
    if (pair) return replaceSlot(text, { kind: 'pair', map: parent, pair }, value, layout)
    return insertPair(text, parent, first, value, layout)
  }
  if (isSeq(parent) && rest.length === 0) {
    const index = first === '-' ? parent.items.length : arrayIndex(first, parent.items.length)
    if (index < 0) throw invalid(operation, 'the list index is out of range')
    return insertItem(text, parent, index, value, layout)
  }
  if (isNullNode(parent))
    return replaceSlot(text, slotOf(doc, parent), first === '-' ? [value] : { [first]: value }, layout)
  throw invalid(operation, 'a parent is not a mapping')
}

/** A collection that loses its last entry becomes `{}` or `[]` where it stands. */
function emptied(
  text: string,
  doc: Document.Parsed,
  collection: YAMLMap | YAMLSeq,
  empty: object,
  layout: Layout,
): Edit {
  return replaceSlot(text, slotOf(doc, collection), empty, layout)
}

function slotOf(doc: Document.Parsed, node: unknown): Slot {
  let slot: Slot = { kind: 'root', node: node as Node }
  visit(doc, (_key, visited, path) => {
    if (visited !== node) return undefined
    const parent = path[path.length - 1]
    const grandparent = path[path.length - 2]
    if (isSeq(parent)) slot = { kind: 'item', seq: parent, index: parent.items.indexOf(visited as Node) }
    else if (isMap(grandparent)) slot = { kind: 'pair', map: grandparent, pair: parent as Pair }
    return visit.BREAK
  })
  return slot
}

function resolve(doc: Document.Parsed, node: unknown): unknown {
  return isAlias(node) ? node.resolve(doc) : node
}

/** Anchors that some alias of the document uses. */
function aliasedAnchors(doc: Document.Parsed): Set<string> {
  const names = new Set<string>()
  visit(doc, { Alias: (_key, alias) => void names.add(alias.source) })
  return names
}

/*
 * Editing through an alias, or inside a node whose anchor an alias uses, would change every
 * place that uses it: refused, so that a fix changes only the field it names.
 */
function notShared(
  node: unknown,
  operation: PatchOperation,
  shared: ReadonlySet<string>,
  descending: boolean,
): unknown {
  if (descending && isAlias(node))
    throw invalid(
      operation,
      `the path goes through the alias *${node.source}, and the change would apply wherever its anchor is used`,
    )
  const anchor = (node as Node | null | undefined)?.anchor
  if (anchor !== undefined && shared.has(anchor))
    throw invalid(
      operation,
      `the path goes through the anchor &${anchor}, and the change would apply wherever it is used`,
    )
  return node
}

/** The value of a key written in the mapping itself; a key that only a merge provides is refused. */
function ownValue(doc: Document.Parsed, map: YAMLMap, token: string, operation: PatchOperation): unknown {
  const pair = findPair(map, token)
  if (pair) return pair.value ?? null
  if (mapValue(doc, map, token) !== undefined)
    throw invalid(operation, `${token} comes from a merge (<<), and the change would apply wherever its anchor is used`)
  return undefined
}

function arrayIndex(token: string, max: number): number {
  const index = /^(?:0|[1-9][0-9]*)$/.test(token) ? Number(token) : -1
  return index <= max ? index : -1
}

function keyString(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined
  return node.type === 'PLAIN' && typeof node.source === 'string'
    ? String(resolvePlainScalar(node.source))
    : String(node.value)
}

function isMergeKey(pair: Pair): boolean {
  return isScalar(pair.key) && pair.key.type === 'PLAIN' && pair.key.source === '<<'
}

function findPair(map: YAMLMap, token: string): Pair | undefined {
  return map.items.findLast((pair) => !isMergeKey(pair) && keyString(pair.key) === token)
}

/** The value under `token`, looking in merge sources when the mapping does not have the key itself. */
function mapValue(doc: Document.Parsed, map: YAMLMap, token: string): unknown {
  const pair = findPair(map, token)
  if (pair) return pair.value ?? null
  for (const merge of map.items.filter(isMergeKey)) {
    const source = resolve(doc, merge.value)
    for (const candidate of isSeq(source) ? source.items.map((item) => resolve(doc, item)) : [source]) {
      const found = isMap(candidate) ? mapValue(doc, candidate, token) : undefined
      if (found !== undefined) return found
    }
  }
  return undefined
}

/** How new block collections are laid out: like the first block list under a key in the document. */
function layoutOf(text: string, doc: Document.Parsed): Layout {
  let seqIndent = 2
  visit(doc, {
    Pair(_key, pair) {
      if (!isSeq(pair.value) || pair.value.flow || !isScalar(pair.key) || !pair.value.range || !pair.key.range)
        return undefined
      const keyColumn = pair.key.range[0] - text.lastIndexOf('\n', pair.key.range[0] - 1) - 1
      const dashColumn = pair.value.range[0] - text.lastIndexOf('\n', pair.value.range[0] - 1) - 1
      seqIndent = Math.max(0, dashColumn - keyColumn)
      return visit.BREAK
    },
  })
  return { seqIndent, eol: text.includes('\r\n') ? '\r\n' : '\n' }
}
