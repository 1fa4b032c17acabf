import { COLLECTION_STYLE, EVENT_ID, SCALAR_STYLE, type Event } from '../js-yaml.js'
import type { EventTree } from './event-tree.js'

/*
 * Start and end offsets of nodes, from the event stream alone. Starts follow the `yaml`
 * package's node ranges: a node starts at its content, after its tag and anchor; a quoted
 * scalar at its quote, a block scalar at its `|` or `>`, an alias at `*`, a block mapping
 * at its first key. Events give valueStart/valueEnd for scalars and the start of
 * collections; everything else is found by a short scan of the source.
 */

/** Offset (in `tree.source`) where the node at `index` starts. */
export function nodeStart(tree: EventTree, index: number): number {
  const plain = plainStart(tree, index)
  if (plain >= 0) return plain
  const event = tree.event(index)
  switch (event.type) {
    case EVENT_ID.SCALAR:
      if (event.valueStart < 0) return emptyScalarOffset(tree, index)
      if (event.style === SCALAR_STYLE.SINGLE_QUOTED || event.style === SCALAR_STYLE.DOUBLE_QUOTED)
        return event.valueStart - 1
      if (event.style === SCALAR_STYLE.LITERAL_BLOCK || event.style === SCALAR_STYLE.FOLDED_BLOCK)
        return blockScalarHeader(tree, index)
      return event.valueStart
    case EVENT_ID.ALIAS:
      return event.anchorStart - 1
    case EVENT_ID.MAPPING:
      // js-yaml starts a block mapping at its first key's properties; `yaml` at the key itself,
      // or at the `?` of an explicit key.
      if (
        event.style === COLLECTION_STYLE.BLOCK &&
        tree.close(index) > index + 1 &&
        !isExplicitKey(tree.source, event.start)
      ) {
        return nodeStart(tree, index + 1)
      }
      return event.start
    case EVENT_ID.SEQUENCE:
      return event.start
    default:
      return 0
  }
}

/** Offset (in `tree.source`) just after the node at `index`. */
export function nodeEnd(tree: EventTree, index: number): number {
  if (plainStart(tree, index) >= 0) return tree.events.valueEndAt(index)
  const event = tree.event(index)
  switch (event.type) {
    case EVENT_ID.SCALAR:
      if (event.valueStart < 0) return nodeStart(tree, index)
      if (event.style === SCALAR_STYLE.SINGLE_QUOTED || event.style === SCALAR_STYLE.DOUBLE_QUOTED)
        return event.valueEnd + 1
      return event.valueEnd
    case EVENT_ID.ALIAS:
      return event.anchorEnd
    case EVENT_ID.MAPPING:
    case EVENT_ID.SEQUENCE: {
      const close = tree.close(index)
      const contentEnd = close === index + 1 ? event.start + 1 : nodeEnd(tree, lastChild(tree, close))
      return event.style === COLLECTION_STYLE.FLOW ? closingBracketEnd(tree.source, contentEnd) : contentEnd
    }
    default:
      return 0
  }
}

/**
 * The start of a plain scalar whose value is its text (most keys a finding points at), read
 * from the event list without building the event; -1 for any other node. Its span is its
 * value's, as for any plain scalar below.
 */
function plainStart(tree: EventTree, index: number): number {
  return tree.events.fastScalarStyleAt(index) === SCALAR_STYLE.PLAIN ? tree.events.valueStartAt(index) : -1
}

function isExplicitKey(source: string, at: number): boolean {
  return source.charCodeAt(at) === 0x3f && /[ \t\r\n]/.test(source.charAt(at + 1))
}

function lastChild(tree: EventTree, close: number): number {
  return tree.typeOf(close - 1) === EVENT_ID.POP ? tree.opener(close - 1) : close - 1
}

/** End of the node that ends with the event at `index` (a POP ends a collection). */
function endOfEventAt(tree: EventTree, index: number): number {
  return tree.typeOf(index) === EVENT_ID.POP ? nodeEnd(tree, tree.opener(index)) : nodeEnd(tree, index)
}

function isInlineSpace(code: number): boolean {
  return code === 0x20 || code === 0x09
}

function skipInlineSpaces(source: string, from: number): number {
  let i = from
  while (isInlineSpace(source.charCodeAt(i))) i++
  return i
}

/** Skip spaces, line breaks and comments. */
function skipBlank(source: string, from: number): number {
  let i = from
  for (;;) {
    const code = source.charCodeAt(i)
    if (code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d) i++
    else if (code === 0x23) {
      while (i < source.length && source.charCodeAt(i) !== 0x0a && source.charCodeAt(i) !== 0x0d) i++
    } else return i
  }
}

/**
 * An empty scalar (`key:` with no value, `- ` with no item) has no text: `yaml` places it
 * just after the indicator before it (`:`, `-`, `---`) and the spaces that follow.
 */
function emptyScalarOffset(tree: EventTree, index: number): number {
  const { source } = tree
  const event = tree.event(index) as Event & { tagEnd: number; anchorEnd: number }
  const props = Math.max(event.tagEnd, event.anchorEnd)
  if (props >= 0) return skipInlineSpaces(source, props)
  const previous = tree.event(index - 1)
  if (previous.type === EVENT_ID.DOCUMENT) return afterDocumentMarker(tree, index - 1)
  if (previous.type === EVENT_ID.SEQUENCE || previous.type === EVENT_ID.MAPPING) {
    const at = previous.start
    const indicator = source.charCodeAt(at)
    return indicator === 0x2d || indicator === 0x5b || indicator === 0x7b ? skipInlineSpaces(source, at + 1) : at
  }
  const after = endOfEventAt(tree, index - 1)
  const at = skipBlank(source, after)
  const indicator = source.charCodeAt(at)
  return indicator === 0x2d || indicator === 0x3a || indicator === 0x3f || indicator === 0x2c
    ? skipInlineSpaces(source, at + 1)
    : after
}

/** Where an empty document's (absent) content sits: after its `---`. */
function afterDocumentMarker(tree: EventTree, documentIndex: number): number {
  const { source } = tree
  let from = 0
  for (let i = documentIndex - 1; i >= 0; i--) {
    if (tree.typeOf(i) === EVENT_ID.DOCUMENT) {
      from = nodeEnd(tree, i + 1)
      break
    }
  }
  const marker = /^---(?=[ \t\r\n]|$)/gm
  marker.lastIndex = from
  const found = marker.exec(source)
  return found ? skipInlineSpaces(source, found.index + 3) : from
}

/**
 * js-yaml's valueStart for a block scalar is the line after its header; the header
 * indicator is on the line before, after any key, tag or anchor on that line.
 */
function blockScalarHeader(tree: EventTree, index: number): number {
  const { source } = tree
  const event = tree.event(index) as Event & { valueStart: number; tagEnd: number; anchorEnd: number }
  let lineEnd = event.valueStart
  if (source.charCodeAt(lineEnd - 1) === 0x0a) lineEnd--
  if (source.charCodeAt(lineEnd - 1) === 0x0d) lineEnd--
  const lineStart = Math.max(source.lastIndexOf('\n', lineEnd - 1) + 1, source.lastIndexOf('\r', lineEnd - 1) + 1)
  let lower = Math.max(lineStart, event.tagEnd, event.anchorEnd)
  const previous = tree.eventAt(index - 1)
  if (previous && (previous.type === EVENT_ID.SCALAR || previous.type === EVENT_ID.ALIAS)) {
    const previousEnd = nodeEnd(tree, index - 1)
    if (previousEnd >= lower && previousEnd <= lineEnd) lower = previousEnd
  }
  const header = /[|>][0-9+-]{0,2}[ \t]*(?:#.*)?$/.exec(source.slice(lower, lineEnd))
  return header ? lower + header.index : event.valueStart
}

/** After the last item of a flow collection: skip to and past its `]` or `}`. */
function closingBracketEnd(source: string, from: number): number {
  let i = from
  for (;;) {
    i = skipBlank(source, i)
    const code = source.charCodeAt(i)
    if (code === 0x2c) i++
    else return code === 0x5d || code === 0x7d ? i + 1 : from
  }
}
