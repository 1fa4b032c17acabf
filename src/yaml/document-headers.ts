/**
 * A cheap read of a YAML stream's documents and of what identifies each: its top-level
 * `apiVersion` and `kind` and its `metadata.namespace`, read from a few lines without parsing
 * the rest. For the streaming scan's first pass (pipeline/kept-parts.ts), which needs a whole
 * parse only of the documents a cross-resource policy or the Namespace map could keep.
 *
 * The documents are those of splitDocuments (document-split.ts), the documents the parser
 * indexes, one per stretch that holds one. A header is given only where the reading is sure;
 * anything else (flow style, anchors, aliases, tags or merge keys where the header is read,
 * quoted keys, odd indentation, multi-line values, duplicates, `*List` kinds) leaves the
 * document's header undefined, and the whole stream is refused (undefined) for what could
 * move document boundaries or values: directives, carriage returns, a byte order mark, and
 * JSON (read by JSON.parse as one document).
 *
 * A header is right for every document that parses: a document it misreads does not parse
 * (a line at column 0 inside a value is "deficient indentation"). Tested against the parser
 * over the corpus and generated files (document-headers.test.ts).
 */

/** What identifies a document: each undefined when the document's mapping has no such key. */
export interface Header {
  apiVersion?: string
  kind?: string
  namespace?: string
}

/** One document of a stream: where it is, and its header when the cheap read is sure of it. */
export interface DocumentHeader {
  start: number
  end: number
  header?: Header
}

const SPACE = 0x20
const TAB = 0x09
const HASH = 0x23
const NEWLINE = 0x0a
const PERCENT = 0x25
const DASH = 0x2d
const DOT = 0x2e
const DOUBLE_QUOTE = 0x22
const SINGLE_QUOTE = 0x27
const BRACE = 0x7b
const BRACKET = 0x5b

const KEY = /^([A-Za-z_][A-Za-z0-9_./-]*):(?: |$)/
/** A value, then spaces, a comment after a space (`a#b` is one plain scalar). */
const PLAIN = /^([A-Za-z][A-Za-z0-9._/-]*)(?: +(?:#.*)?)?$/
const SINGLE = /^'([^']*)'(?: +(?:#.*)?)?$/
const DOUBLE = /^"([^"\\]*)"(?: +(?:#.*)?)?$/
const EMPTY = /^ *(?:#.*)?$/
/** Plain words YAML 1.1 (go-yaml v2) reads as booleans or null, not strings. */
const NOT_STRINGS = new Set(['y', 'yes', 'n', 'no', 'on', 'off', 'true', 'false', 'null'])
/** A marker line: `---` or `...` then a blank or the line's end (document-split.ts). */
const MARKER = /^(?:---|\.\.\.)(?:[ \t]|$)/

const NONE: unique symbol = Symbol('none')

/** A one-line scalar value after `key:` (`value` starts after the colon): the string, EMPTY, or undefined (not sure). */
function scalarOf(value: string): string | typeof NONE | undefined {
  if (EMPTY.test(value)) return NONE
  const v = value.slice(1)
  if (value.charCodeAt(0) !== SPACE || v.charCodeAt(0) === SPACE) return undefined
  const plain = PLAIN.exec(v)
  if (plain) return NOT_STRINGS.has((plain[1] as string).toLowerCase()) ? undefined : plain[1]
  return (SINGLE.exec(v) ?? DOUBLE.exec(v))?.[1]
}

/** A document being read: its header so far, or undefined once it is not sure. */
interface Reading {
  start: number
  content: boolean
  /** Whether a line at column 0 was read (the content is a block mapping there). */
  mapped: boolean
  header: Header | undefined
  /** Whether `metadata:` was read (a second one is not sure). */
  metadataSeen: boolean
  /** After a header value at this indentation: a deeper line next would continue it (-1: none). */
  continuesAt: number
  /** Inside `metadata:`'s children: their indentation (0 until the first one). */
  metadata: number | undefined
  /** Whether a `- ` line at column 0 is an item of the last top-level key's value (`rules:` then `- ...`). */
  items: boolean
}

/** The documents of a YAML text with their headers, or undefined when the stream is not one to read this way. */
export function documentHeaders(text: string): DocumentHeader[] | undefined {
  if (text.includes('\r') || text.charCodeAt(0) === 0xfeff) return undefined
  const first = /\S/.exec(text)?.[0]
  if (first === '{' || first === '[') return undefined
  const out: DocumentHeader[] = []
  let doc: Reading = fresh(0)
  const close = (at: number): void => {
    if (doc.content)
      out.push(doc.header ? { start: doc.start, end: at, header: doc.header } : { start: doc.start, end: at })
  }
  let at = 0
  while (at < text.length) {
    const newline = text.indexOf('\n', at)
    const end = newline === -1 ? text.length : newline
    const next = newline === -1 ? text.length : newline + 1
    const c = text.charCodeAt(at)
    if (c === SPACE || c === TAB || c === NEWLINE) {
      // Indented lines matter only while a header's value or metadata's children are read, or before any content.
      if (doc.header ? !doc.mapped || doc.continuesAt >= 0 || doc.metadata !== undefined : !doc.content) {
        indented(doc, text.slice(at, end))
        at = next
      } else {
        // The rest of a value: on to the next line that does not start with a space.
        at = next
        while (at < text.length && text.charCodeAt(at) === SPACE) {
          const nl = text.indexOf('\n', at)
          at = nl === -1 ? text.length : nl + 1
        }
      }
      continue
    }
    if (c === HASH) {
      at = next
      continue
    }
    if (c === PERCENT) return undefined
    const line = text.slice(at, end)
    if ((c === DASH || c === DOT) && MARKER.test(line)) {
      if (c === DASH) {
        if (doc.content) {
          close(at)
          doc = fresh(at)
        }
        doc.content = true
        if (!EMPTY.test(line.slice(3))) doc.header = undefined
      } else {
        close(next)
        doc = fresh(next)
      }
      at = next
      continue
    }
    doc.content = true
    if (doc.header) topLevel(doc, line)
    at = next
  }
  close(text.length)
  return out
}

function fresh(start: number): Reading {
  return {
    start,
    content: false,
    mapped: false,
    header: {},
    metadataSeen: false,
    continuesAt: -1,
    metadata: undefined,
    items: false,
  }
}

/** A line at column 0 of a document's content: a key of its top-level mapping, or not sure. */
function topLevel(doc: Reading, line: string): void {
  doc.mapped = true
  doc.continuesAt = -1
  doc.metadata = undefined
  if (doc.items && line.charCodeAt(0) === DASH && (line.length === 1 || line.charCodeAt(1) === SPACE)) return
  doc.items = false
  const key = KEY.exec(line)?.[1]
  const header = doc.header as Header
  // Other keys may repeat here: such a document does not parse (a duplicate key), so holds no resource.
  if (key === undefined || (key === 'metadata' ? doc.metadataSeen : key in header)) {
    doc.header = undefined
    return
  }
  const value = line.slice(key.length + 1)
  if (key !== 'kind' && key !== 'apiVersion' && key !== 'metadata') {
    doc.items = EMPTY.test(value)
    return
  }
  if (key === 'metadata') {
    doc.metadataSeen = true
    if (EMPTY.test(value)) doc.metadata = 0
    else doc.header = undefined
    return
  }
  const scalar = scalarOf(value)
  if (typeof scalar !== 'string' || (key === 'kind' && scalar.endsWith('List'))) {
    doc.header = undefined
    return
  }
  header[key] = scalar
  doc.continuesAt = 0
}

/** An indented (or blank) line while something of the header is read, or before the document's content. */
function indented(doc: Reading, line: string): void {
  const depth = line.length - line.trimStart().length
  if (depth === line.length) return
  const comment = line.charCodeAt(depth) === HASH
  if (!doc.mapped) {
    if (!comment) {
      // The document's content starts indented: not a block mapping at column 0.
      doc.content = true
      doc.header = undefined
    }
    return
  }
  if (line.slice(0, depth).includes('\t') || (doc.continuesAt >= 0 && depth > doc.continuesAt)) {
    doc.header = undefined
    return
  }
  if (comment) return
  doc.continuesAt = -1
  if (doc.metadata === undefined) return
  if (doc.metadata === 0) doc.metadata = depth
  else if (depth > doc.metadata) return
  else if (depth < doc.metadata) {
    doc.header = undefined
    return
  }
  metadataChild(doc, line.slice(depth), depth)
}

/** A line of `metadata:`'s children at their indentation. */
function metadataChild(doc: Reading, rest: string, depth: number): void {
  const key = KEY.exec(rest)?.[1]
  if (key === undefined) {
    doc.header = undefined
    return
  }
  const value = rest.slice(key.length + 1)
  const v = value.trimStart()
  // A value that goes on over lines may hide a line that looks like a child: not sure.
  const opens = v.charCodeAt(0)
  if (
    ((opens === DOUBLE_QUOTE || opens === SINGLE_QUOTE) && scalarOf(value) === undefined) ||
    ((opens === BRACE || opens === BRACKET) && v !== '{}' && v !== '[]')
  ) {
    doc.header = undefined
    return
  }
  if (key !== 'namespace') return
  const header = doc.header as Header
  const scalar = scalarOf(value)
  if (typeof scalar !== 'string' || 'namespace' in header) {
    doc.header = undefined
    return
  }
  header.namespace = scalar
  doc.continuesAt = depth
}
