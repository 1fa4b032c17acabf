import { EVENT_ID, SCALAR_STYLE, getScalarValue } from '../js-yaml.js'
import type { EventTree } from './event-tree.js'
import { goBool, goFloat, goInt, goNull, resolvePlainScalar, UNRESOLVED } from '../go-yaml-scalars.js'

/** The node a pointer ends on: a mapping key, a sequence item or the root, as an event index. */
export interface LocatedNode {
  index: number
  exact: boolean
}

const ARRAY_INDEX = /^(?:0|[1-9][0-9]*)$/

/**
 * Walk unescaped pointer tokens from the node at `root`. Aliases are followed to their
 * anchored node; a key missing from a mapping is looked up in its merge (`<<`) sources,
 * first source first, as go-yaml merges. When a token does not exist, the deepest node
 * reached so far is returned with exact=false.
 */
export function locateNode(tree: EventTree, root: number, tokens: readonly string[]): LocatedNode {
  const walk = { value: root, located: root }
  for (const token of tokens) if (!step(tree, walk, token)) return { index: walk.located, exact: false }
  return { index: walk.located, exact: true }
}

/**
 * locateNode over the tokens of a JSON Pointer (`''` or starting with `/`), read in place:
 * no array of tokens per pointer (each finding's path of a resource is located once).
 */
export function locatePointer(tree: EventTree, root: number, pointer: string): LocatedNode {
  const walk = { value: root, located: root }
  for (let from = 1; from <= pointer.length && pointer !== '';) {
    let to = pointer.indexOf('/', from)
    if (to < 0) to = pointer.length
    const raw = pointer.slice(from, to)
    from = to + 1
    const token = raw.includes('~') ? raw.replace(/~1/g, '/').replace(/~0/g, '~') : raw
    if (!step(tree, walk, token)) return { index: walk.located, exact: false }
  }
  return { index: walk.located, exact: true }
}

/** One token down from `walk.value`; false (and `walk` as it was) when the token does not exist. */
function step(tree: EventTree, walk: { value: number; located: number }, token: string): boolean {
  const node = tree.deref(walk.value)
  const type = tree.typeOf(node)
  let found: number | undefined
  if (type === EVENT_ID.MAPPING) found = findKey(tree, node, token, 0)
  else if (type === EVENT_ID.SEQUENCE && ARRAY_INDEX.test(token)) found = nthItem(tree, node, Number(token))
  if (found === undefined) return false
  walk.located = found
  walk.value = type === EVENT_ID.MAPPING ? tree.next(found) : found
  return true
}

function nthItem(tree: EventTree, sequence: number, n: number): number | undefined {
  const end = tree.close(sequence)
  let i = sequence + 1
  for (let k = 0; i < end; k++, i = tree.next(i)) if (k === n) return i
  return undefined
}

interface KeyTable {
  /** Key text to key event index; the last one wins, as JSON.parse keeps the last duplicate. */
  keys: Map<string, number>
  /** Value event indexes of `<<` entries, in order. */
  merges: number[]
}

// Built per mapping on its first lookup, so that locating many fields of one document stays linear.
const keyTables = new WeakMap<EventTree, Map<number, KeyTable>>()

function keyTable(tree: EventTree, mapping: number): KeyTable {
  let tables = keyTables.get(tree)
  if (!tables) keyTables.set(tree, (tables = new Map()))
  let table = tables.get(mapping)
  if (table) return table
  table = { keys: new Map(), merges: [] }
  for (let key = mapping + 1, end = tree.close(mapping); key < end;) {
    const value = tree.next(key)
    if (isMergeKey(tree, key)) table.merges.push(value)
    else {
      const text = mappingKeyText(tree, key)
      if (text !== undefined) table.keys.set(text, key)
    }
    key = tree.next(value)
  }
  tables.set(mapping, table)
  return table
}

/** Key event index of `token` in a mapping; explicit keys win over merged ones. */
function findKey(tree: EventTree, mapping: number, token: string, depth: number): number | undefined {
  const { keys, merges } = keyTable(tree, mapping)
  const found = keys.get(token)
  if (found !== undefined || depth > 32) return found
  for (const merge of merges) {
    const source = tree.deref(merge)
    const type = tree.typeOf(source)
    const sources = type === EVENT_ID.SEQUENCE ? childNodes(tree, source).map((i) => tree.deref(i)) : [source]
    for (const candidate of sources) {
      if (tree.typeOf(candidate) !== EVENT_ID.MAPPING) continue
      const inMerged = findKey(tree, candidate, token, depth + 1)
      if (inMerged !== undefined) return inMerged
    }
  }
  return undefined
}

function childNodes(tree: EventTree, collection: number): number[] {
  const out: number[] = []
  for (let i = collection + 1, end = tree.close(collection); i < end; i = tree.next(i)) out.push(i)
  return out
}

function isMergeKey(tree: EventTree, index: number): boolean {
  // A key whose text is its source (most keys) is `<<` only when its source is: no event built.
  const fastStyle = tree.events.fastScalarStyleAt(index)
  if (fastStyle >= 0) {
    const start = tree.events.valueStartAt(index)
    return (
      fastStyle === SCALAR_STYLE.PLAIN &&
      start >= 0 &&
      tree.events.valueEndAt(index) - start === 2 &&
      tree.source.startsWith('<<', start)
    )
  }
  const event = tree.event(index)
  if (event.type !== EVENT_ID.SCALAR || event.style !== SCALAR_STYLE.PLAIN) return false
  const tag = event.tagStart < 0 ? '' : tree.source.slice(event.tagStart, event.tagEnd)
  return (tag === '' && getScalarValue(tree.source, event) === '<<') || tag === '!!merge'
}

const EXPLICIT_SCALAR_TAGS: Readonly<Record<string, (source: string) => unknown>> = {
  '!!null': goNull,
  '!!bool': goBool,
  '!!int': goInt,
  '!!float': goFloat,
}

/** A key as the object has it: resolved like any scalar, then turned into a string as js-yaml does. */
export function mappingKeyText(tree: EventTree, index: number): string | undefined {
  const node = tree.deref(index)
  const fastStyle = tree.events.fastScalarStyleAt(node)
  if (fastStyle >= 0) {
    // Its value is its source text and it has no tag: as below, without building the event.
    const start = tree.events.valueStartAt(node)
    const text = start < 0 ? '' : tree.source.slice(start, tree.events.valueEndAt(node))
    return fastStyle === SCALAR_STYLE.PLAIN ? String(resolvePlainScalar(text)) : text
  }
  const event = tree.event(node)
  if (event.type !== EVENT_ID.SCALAR) return undefined
  const text = getScalarValue(tree.source, event)
  const tag = event.tagStart < 0 ? '' : tree.source.slice(event.tagStart, event.tagEnd)
  if (tag === '') return event.style === SCALAR_STYLE.PLAIN ? String(resolvePlainScalar(text)) : text
  const resolved = EXPLICIT_SCALAR_TAGS[tag]?.(text) ?? text
  return resolved === UNRESOLVED ? text : String(resolved)
}
