import { isAlias, isCollection, isMap, isPair, isScalar, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml'
import { inlineText, isInline, itemLines, joinIndented, pairLines, blockLines, type Layout } from './patch-render.js'

/*
 * Each patch operation becomes one text edit computed from `yaml` node ranges, so every
 * byte outside the touched entry stays as it was: comments, blank lines, quoting, indentation.
 */

/** Replace source[start, end) with `text`. */
export interface Edit {
  start: number
  end: number
  text: string
}

/** Where a node sits: an entry of a mapping, an item of a sequence, or the document root. */
export type Slot =
  | { kind: 'pair'; map: YAMLMap; pair: Pair }
  | { kind: 'item'; seq: YAMLSeq; index: number }
  | { kind: 'root'; node: Node }

function lineStart(source: string, offset: number): number {
  return source.lastIndexOf('\n', offset - 1) + 1
}

function column(source: string, offset: number): number {
  return offset - lineStart(source, offset)
}

/** Just past the line break ending the line that holds `offset`. */
function nextLine(source: string, offset: number): number {
  const newline = source.indexOf('\n', offset)
  return newline === -1 ? source.length : newline + 1
}

function trimBack(source: string, end: number): number {
  let i = end
  while (i > 0 && /[ \t\r\n]/.test(source.charAt(i - 1))) i--
  return i
}

/** End of a node's own text: before trailing line breaks, and before comments that close a block collection. */
export function contentEnd(source: string, node: unknown): number {
  if (isPair(node)) return node.value ? contentEnd(source, node.value) : contentEnd(source, node.key)
  if (isCollection(node) && !node.flow && node.items.length > 0)
    return contentEnd(source, node.items[node.items.length - 1])
  const range = (node as Node | null)?.range
  if (!range) return 0
  // Trailing blank lines of a keep-chomped block scalar (`|+`) are part of its value.
  if (isScalar(node) && /^[|>][1-9]?\+/.test(source.slice(range[0], range[0] + 3)))
    return Math.max(range[0], range[1] - 1)
  return trimBack(source, range[1])
}

function start(node: unknown): number {
  return (node as Node).range?.[0] ?? 0
}

function isBlockCollection(node: unknown): boolean {
  return isCollection(node) && !node.flow
}

/** Offset just after the `:` of a block mapping entry. */
function afterColon(source: string, pair: Pair): number {
  let i = contentEnd(source, pair.key)
  while (/[ \t\r\n]/.test(source.charAt(i))) i++
  return source.charAt(i) === ':' ? i + 1 : i
}

function slotNode(slot: Slot): unknown {
  return slot.kind === 'pair' ? slot.pair.value : slot.kind === 'item' ? slot.seq.items[slot.index] : slot.node
}

/** Replace the value in a slot with `value`. */
export function replaceSlot(source: string, slot: Slot, value: unknown, layout: Layout): Edit {
  const old = slotNode(slot)
  const oldStart = start(old)
  const oldEnd = contentEnd(source, old)
  const inFlow = (slot.kind === 'pair' && slot.map.flow) || (slot.kind === 'item' && slot.seq.flow)
  // A quoted string replaced by a string keeps its quoting style (`image: "nginx"` stays double-quoted).
  const quote = typeof value === 'string' && isScalar(old) ? sameQuotes(value, old.type) : undefined
  if (quote !== undefined) return { start: oldStart, end: oldEnd, text: quote }
  if (inFlow || isInline(value)) {
    const text = inlineText(value, Boolean(inFlow))
    if (slot.kind === 'pair' && isBlockCollection(old))
      return { start: afterColon(source, slot.pair), end: oldEnd, text: ` ${text}` }
    const needsSpace = oldStart === oldEnd && /[:-]/.test(source.charAt(oldStart - 1))
    return { start: oldStart, end: oldEnd, text: (needsSpace ? ' ' : '') + text }
  }
  const lines = blockLines(value, layout)
  // A list may sit at its key's column (`key:\n- item`), a mapping may not: it moves down a level.
  const keyColumn = slot.kind === 'pair' ? column(source, start(slot.pair.key)) : -1
  const fitsInPlace = isBlockCollection(old) && column(source, oldStart) > keyColumn - (Array.isArray(value) ? 1 : 0)
  if (slot.kind === 'pair' && !fitsInPlace) {
    const indent = keyColumn + (Array.isArray(value) ? layout.seqIndent : 2)
    const block = layout.eol + ' '.repeat(indent) + joinIndented(lines, indent, layout)
    // A comment after the old value stays on the key's line, above the new block.
    const lineEnd = trimBack(source, nextLine(source, oldEnd))
    const comment = /^[ \t]+#/.test(source.slice(oldEnd, lineEnd)) ? source.slice(oldEnd, lineEnd) : undefined
    if (comment !== undefined) return { start: afterColon(source, slot.pair), end: lineEnd, text: comment + block }
    return { start: afterColon(source, slot.pair), end: oldEnd, text: block }
  }
  // An empty document's content starts after `---`, where a block mapping may not.
  const lead = slot.kind === 'root' && oldStart === oldEnd && column(source, oldStart) > 0 ? layout.eol : ''
  return { start: oldStart, end: oldEnd, text: lead + joinIndented(lines, lead ? 0 : column(source, oldStart), layout) }
}

/** `value` in the quotes of a scalar of this type, or undefined for a plain (or block) one. Single quotes hold only printable one-line text. */
function sameQuotes(value: string, type: string | undefined): string | undefined {
  if (type === 'QUOTE_SINGLE' && ![...value].some((ch) => ch < ' ' || ch === '\u007f'))
    return `'${value.replace(/'/g, "''")}'`
  if (type === 'QUOTE_SINGLE' || type === 'QUOTE_DOUBLE') return JSON.stringify(value)
  return undefined
}

/** Add `key: value` at the end of a mapping. */
export function insertPair(source: string, map: YAMLMap, key: string, value: unknown, layout: Layout): Edit {
  const last = map.items[map.items.length - 1]
  if (map.flow) {
    const entry = `${inlineText(key, true)}: ${inlineText(value, true)}`
    if (!last) return { start: (map.range?.[1] ?? 1) - 1, end: (map.range?.[1] ?? 1) - 1, text: entry }
    const at = contentEnd(source, last)
    return { start: at, end: at, text: `, ${entry}` }
  }
  const indent = column(source, start(map.items[0]?.key))
  return insertLines(source, contentEnd(source, last), indent, pairLines(key, value, layout), layout)
}

/** Insert `- value` before item `index` of a sequence, or at its end when index is its length. */
export function insertItem(source: string, seq: YAMLSeq, index: number, value: unknown, layout: Layout): Edit {
  const before = seq.items[index]
  if (seq.flow) {
    if (before) return { start: start(before), end: start(before), text: `${inlineText(value, true)}, ` }
    const last = seq.items[seq.items.length - 1]
    const at = last ? contentEnd(source, last) : (seq.range?.[1] ?? 1) - 1
    return { start: at, end: at, text: (last ? ', ' : '') + inlineText(value, true) }
  }
  const indent = column(source, start(seq))
  const lines = itemLines(value, layout)
  if (!before) return insertLines(source, contentEnd(source, seq.items[seq.items.length - 1]), indent, lines, layout)
  const dash = dashOf(source, seq, before)
  if (source.slice(lineStart(source, dash), dash).trim() !== '') {
    // The sequence starts on the line of an outer `- `: insert in place, then re-indent.
    return { start: dash, end: dash, text: joinIndented(lines, indent, layout) + layout.eol + ' '.repeat(indent) }
  }
  const at = lineStart(source, dash)
  return { start: at, end: at, text: ' '.repeat(indent) + joinIndented(lines, indent, layout) + layout.eol }
}

/** Lines inserted after the line holding `after`, each indented by `indent`. */
function insertLines(source: string, after: number, indent: number, lines: readonly string[], layout: Layout): Edit {
  const at = nextLine(source, after)
  const lead = at === source.length && !source.endsWith('\n') ? layout.eol : ''
  return { start: at, end: at, text: lead + ' '.repeat(indent) + joinIndented(lines, indent, layout) + layout.eol }
}

/** The `-` that introduces a block sequence item. */
function dashOf(source: string, seq: YAMLSeq, item: unknown): number {
  const itemStart = start(item)
  const aligned = lineStart(source, itemStart) + column(source, start(seq))
  return source.charAt(aligned) === '-' && aligned < itemStart ? aligned : source.lastIndexOf('-', itemStart - 1)
}

/** Remove entry `index` of a mapping or sequence that keeps at least one other entry. */
export function removeEntry(source: string, collection: YAMLMap | YAMLSeq, index: number): Edit {
  const entry = collection.items[index]
  const next = collection.items[index + 1]
  const entryStart = isMap(collection) ? start((entry as Pair).key) : dashOf(source, collection as YAMLSeq, entry)
  const nextStart = (item: unknown) =>
    isMap(collection) ? start((item as Pair).key) : dashOf(source, collection as YAMLSeq, item)
  if (collection.flow) {
    const itemStart = isMap(collection) ? entryStart : start(entry)
    if (next) return { start: itemStart, end: isMap(collection) ? nextStart(next) : start(next), text: '' }
    return { start: contentEnd(source, collection.items[index - 1]), end: contentEnd(source, entry), text: '' }
  }
  const from = lineStart(source, entryStart)
  if (source.slice(from, entryStart).trim() === '')
    return { start: from, end: nextLine(source, contentEnd(source, entry)), text: '' }
  // First entry written after an outer `- ` or `? `: the next entry moves up into its place.
  return { start: entryStart, end: next ? nextStart(next) : contentEnd(source, entry), text: '' }
}

/** True for a null or empty scalar, which an `add` below it may turn into a mapping. */
export function isNullNode(node: unknown): boolean {
  return (
    node === null ||
    node === undefined ||
    (isScalar(node) && (node.value === null || node.value === undefined) && !isAlias(node))
  )
}
