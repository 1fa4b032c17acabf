import { LineCounter, Scalar, isAlias, isMap, isScalar, parseAllDocuments, visit, type Document, type Tags } from 'yaml'
import { resolvePlainScalar } from './go-yaml-scalars.js'
import { parseManifests } from './index.js'
import { referencePositions } from './reference-walk.test-support.js'

/*
 * Test support: the reference reading of a YAML text, which parseManifests must match. It is
 * the `yaml` package's reading (YAML 1.1, merge keys) of the structure, of every quoted and
 * block scalar and of explicit tags, minus the two 1.1 types that go-yaml v2 leaves as
 * strings when decoding for kubectl (timestamps, base-60 numbers); untagged plain scalars,
 * keys included, resolve by go-yaml's rules as go-yaml-scalars.ts models them (its own tests,
 * kubernetes-semantics.test.ts, hold it to go-yaml), which the 1.1 schema approximates
 * (`1e3` is a string for go-yaml, `0o17` a number).
 */

const kubectlLikeTags = (tags: Tags) =>
  tags.filter(
    (tag) =>
      typeof tag === 'string' ||
      (tag.tag !== 'tag:yaml.org,2002:timestamp' && !('format' in tag && tag.format === 'TIME')),
  )

/** One document as the reference reads it: its value, or why kubectl would refuse it. */
export type ReferenceDocument = { start: number; end: number } & (
  { ok: true; doc: Document.Parsed; value: unknown } | { ok: false; reason: string }
)

/**
 * The documents of `text` as the reference reads them, and the line counter for positions.
 * Documents that read as null are left out: kubectl skips them, and parseManifests gives none
 * for some of them (`...` before the first `---`, where go-yaml gives no document either).
 */
export function referenceReading(text: string): { documents: ReferenceDocument[]; lines: LineCounter } {
  const lines = new LineCounter()
  const docs = parseAllDocuments(text, {
    lineCounter: lines,
    version: '1.1',
    merge: true,
    customTags: kubectlLikeTags,
    uniqueKeys: false,
  })
  if (!Array.isArray(docs)) return { documents: [], lines }
  // An empty document (`...` before the first `---`, `---` twice) is nothing to kubectl.
  return { documents: docs.map(referenceDocument).filter((doc) => !doc.ok || doc.value !== null), lines }
}

function referenceDocument(doc: Document.Parsed): ReferenceDocument {
  const [start, , end] = doc.range
  const error = doc.errors[0]
  if (error) return { start, end, ok: false, reason: `${error.code}: ${error.message.split('\n')[0]}` }
  // sigs.k8s.io/yaml turns a document into JSON: a collection cannot be a JSON key.
  let complexKey = false
  visit(doc, {
    Pair(_, pair) {
      if (pair.key !== null && !isScalar(pair.key) && !isAlias(pair.key)) complexKey = true
    },
    Scalar(_, node) {
      if (node.type === Scalar.PLAIN && node.tag === undefined && typeof node.source === 'string')
        node.value = resolvePlainScalar(node.source)
    },
  })
  if (complexKey) return { start, end, ok: false, reason: 'a collection as a mapping key' }
  // Keys repeat after go-yaml's resolution (`on` and "true" collide; `1e3` and `1e+3` do not).
  let duplicate: string | undefined
  visit(doc, {
    Map(_, map) {
      if (!isMap(map)) return
      const seen = new Set<string>()
      for (const pair of map.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : undefined
        if (key === undefined || (key === '<<' && (pair.key as Scalar).type === Scalar.PLAIN)) continue
        if (seen.has(key)) duplicate ??= key
        seen.add(key)
      }
    },
  })
  if (duplicate !== undefined) return { start, end, ok: false, reason: `duplicate key ${duplicate}` }
  try {
    return { start, end, ok: true, doc, value: jsonLike(doc.toJS({ maxAliasCount: -1, mapAsMap: true })) }
  } catch (error) {
    return { start, end, ok: false, reason: (error as Error).message }
  }
}

/** Maps to objects with keys as the project names them (see README.md: `~:` is "null", `on:` is "true"). */
function jsonLike(value: unknown, seen = new Map<object, unknown>()): unknown {
  if (value === null || typeof value !== 'object') return value
  if (seen.has(value)) return seen.get(value)
  if (Array.isArray(value)) {
    const out: unknown[] = []
    seen.set(value, out)
    for (const item of value) out.push(jsonLike(item, seen))
    return out
  }
  const out: Record<string, unknown> = {}
  seen.set(value, out)
  for (const [key, item] of value as Map<unknown, unknown>) out[String(key)] = jsonLike(item, seen)
  return out
}

/**
 * Two corners of multi-line scalars where `yaml` itself strays, so that a difference there in
 * whitespace alone is explained, not a disagreement (README.md, "Known differences"):
 * - a block scalar line holding only spaces, more than the indentation: content for YAML 1.2
 *   (8.1.1.2), js-yaml and go-yaml's scanner (`|2` then five spaces is "   \n"); `yaml` drops it;
 * - a double-quoted scalar whose escaped line break (`\` at a line end) is followed by an empty
 *   line: YAML 1.2 (7.3.1) and go-yaml keep a line feed per empty line, `yaml` folds them to a
 *   space and js-yaml drops them.
 */
const WHITESPACE_ONLY_LINE = /^ +\r?$/m
const ESCAPED_BREAK_THEN_EMPTY_LINE = /\\\r?\n[ \t]*\r?\n/

function explained(mine: unknown, theirs: unknown, text: string): boolean {
  if (typeof mine !== 'string' || typeof theirs !== 'string' || mine.replace(/\s/g, '') !== theirs.replace(/\s/g, ''))
    return false
  return WHITESPACE_ONLY_LINE.test(text) || ESCAPED_BREAK_THEN_EMPTY_LINE.test(text)
}

/**
 * Pushes onto `mismatches` every place where `mine` and the reference value differ, and onto
 * `explainedOut` (when given) those that `explained` accounts for in `text`.
 */
export function compareValues(
  mine: unknown,
  theirs: unknown,
  pointer: string,
  mismatches: string[],
  text = '',
  explainedOut?: string[],
): void {
  if (mine !== null && theirs !== null && typeof mine === 'object' && typeof theirs === 'object') {
    const keys = new Set([...Object.keys(mine), ...Object.keys(theirs)])
    for (const key of keys)
      compareValues(
        (mine as Record<string, unknown>)[key],
        (theirs as Record<string, unknown>)[key],
        `${pointer}/${key}`,
        mismatches,
        text,
        explainedOut,
      )
  } else if (!Object.is(mine, theirs)) {
    const line = `${pointer}: ${JSON.stringify(mine)} vs ${JSON.stringify(theirs)}`
    if (explainedOut && explained(mine, theirs, text)) explainedOut.push(line)
    else mismatches.push(line)
  }
}

/** One way parseManifests and the reference disagree on a text. */
export interface Disagreement {
  /**
   * A short class: `we accept, yaml rejects`, `we reject, yaml accepts`, `value`, `position`,
   * `extra document`; or `explained`, a value difference that `explained` accounts for.
   */
  kind: string
  detail: string
}

/**
 * Everything on which parseManifests (with `options`) and the reference disagree about
 * `text`: whether each document is read or refused, its value, and where each of its
 * pointers is. Documents are matched by where they sit in the text, so that the count of
 * empty documents does not shift the comparison.
 */
export function disagreements(text: string, options: { fastPath?: boolean } = {}): Disagreement[] {
  const out: Disagreement[] = []
  const { documents: reference, lines } = referenceReading(text)
  const mine = parseManifests(text, 'f.yaml', options)
  const used = new Set<number>()
  for (const ref of reference) {
    const inside = (offset: number) =>
      offset >= ref.start && (offset < ref.end || (offset === ref.end && ref.end === text.length))
    const found = mine.documents.findIndex((doc, i) => !used.has(i) && inside(doc.span.start.offset))
    const refused = mine.diagnostics.find((d) => inside(d.span?.start.offset ?? 0))
    if (found >= 0) used.add(found)
    if (!ref.ok) {
      if (found >= 0 && !refused) out.push({ kind: 'we accept, yaml rejects', detail: ref.reason })
      continue
    }
    const document = mine.documents[found]
    if (!document) {
      out.push({ kind: 'we reject, yaml accepts', detail: refused?.message ?? 'no document and no diagnostic' })
      continue
    }
    const values: string[] = []
    const explainedValues: string[] = []
    compareValues(document.object, ref.value, '', values, text.slice(ref.start, ref.end), explainedValues)
    if (values.length > 0) out.push({ kind: 'value', detail: values.slice(0, 3).join('; ') })
    if (explainedValues.length > 0) out.push({ kind: 'explained', detail: explainedValues.slice(0, 3).join('; ') })
    for (const node of referencePositions(ref.doc, lines)) {
      const { span, exact } = document.locate(node.pointer)
      if (!exact || span.start.offset !== node.offset)
        out.push({
          kind: 'position',
          detail: `${node.pointer}: ${span.start.line}:${span.start.column} (exact=${exact}) vs ${node.line}:${node.column}`,
        })
    }
  }
  mine.documents.forEach((doc, i) => {
    if (!used.has(i) && doc.object !== null) out.push({ kind: 'extra document', detail: `document ${doc.index}` })
  })
  return out
}
