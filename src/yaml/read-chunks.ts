import { EVENT_ID, parseEvents, SCALAR_STYLE, YAMLException, type Event } from './js-yaml.js'
import type { Diagnostic } from '../core/index.js'
import { parserDiagnostic } from './diagnostics.js'
import { splitDocuments, type Segment } from './document-split.js'
import { EventTree } from './positions/event-tree.js'
import { flattenFlowSeparation } from './flow-flatten.js'
import type { LineIndex } from './positions/line-index.js'

/** A parsed stretch of the file, or 'failed' for one document that could not be parsed. */
export type Chunk = EventTree | 'failed'

/**
 * Parse the whole text into events in one go. When that fails, recover: split the text at
 * document markers and parse runs of documents, so that a syntax error loses only the
 * document it is in. Each failed document yields one diagnostic and one 'failed' entry
 * (it still takes a document index).
 */
export function readChunks(text: string, maxDepth: number, lines: LineIndex, diagnostics: Diagnostic[]): Chunk[] {
  try {
    return [treeOf(text, 0, maxDepth, true)]
  } catch (error) {
    // Recovered below: each document is re-read and the failing ones are reported.
    if (!(error instanceof YAMLException || error instanceof RangeError)) throw error
  }
  const segments = splitDocuments(text)
  const chunks: Chunk[] = []
  let from = 0
  while (from < segments.length) {
    let to = segments.length
    for (;;) {
      const attempt = parseRange(text, segments, from, to, maxDepth)
      if (attempt instanceof EventTree) {
        chunks.push(attempt)
        from = to
        break
      }
      const failedAt = segmentAt(segments, attempt.offset, from, to - 1)
      if (failedAt > from) {
        // Retry the documents before the failing one: they may be fine on their own.
        to = failedAt
        continue
      }
      const alone = to - from === 1 ? attempt : parseRange(text, segments, from, from + 1, maxDepth)
      if (alone instanceof EventTree) chunks.push(alone)
      else {
        diagnostics.push(parserDiagnostic(alone.error, lines, segments[from]?.start ?? 0))
        if (segments[from]?.hasDocument) chunks.push('failed')
      }
      from++
      break
    }
  }
  return chunks
}

interface Failure {
  error: unknown
  /** Offset of the error in the file. */
  offset: number
}

function parseRange(
  text: string,
  segments: readonly Segment[],
  from: number,
  to: number,
  maxDepth: number,
): EventTree | Failure {
  const base = segments[from]?.start ?? 0
  const end = segments[to - 1]?.end ?? text.length
  const source = text.slice(base, end)
  try {
    // The flow fallback reads the whole range with `yaml`; on one document at a time only, so
    // that narrowing around many bad documents stays linear in the file.
    return treeOf(source, base, maxDepth, to - from === 1)
  } catch (error) {
    // Returned to the caller, which narrows the range or reports the document.
    if (!(error instanceof YAMLException || error instanceof RangeError)) throw error
    return { error, offset: base + (error instanceof YAMLException ? (error.mark?.position ?? 0) : 0) }
  }
}

function segmentAt(segments: readonly Segment[], offset: number, low: number, high: number): number {
  for (let i = high; i > low; i--) if ((segments[i]?.start ?? 0) <= offset) return i
  return low
}

/** js-yaml's reasons for refusing the separation that flow-flatten.ts rewrites. */
const FLATTENABLE = /deficient indentation|tab characters/

/**
 * The events of `source`. When js-yaml refuses it, and `yaml` reads it, its flow collections
 * are read again flattened onto one line each (flow-flatten.ts; same offsets); if js-yaml
 * refuses that too, the first error stands.
 */
function treeOf(source: string, base: number, maxDepth: number, flatten: boolean): EventTree {
  try {
    return new EventTree(checked(parseEvents(source, { maxDepth }), source), source, base)
  } catch (error) {
    if (!(error instanceof YAMLException) || !flatten || !FLATTENABLE.test(error.reason)) throw error
    const flat = flattenFlowSeparation(source)
    if (flat === undefined) throw error
    try {
      return new EventTree(checked(parseEvents(flat, { maxDepth }), flat), flat, base)
    } catch {
      // The flattened text is only a second chance; the error worth reporting is the first.
      throw error
    }
  }
}

/**
 * What js-yaml lets through but YAML and go-yaml refuse: a tab in the indentation of a line
 * that a block scalar still owns (after its content, or the first line after it:
 * `key: |\n  text\n\t# note`). go-yaml's scanner fails there ("found a tab character where
 * an indentation space is expected"); js-yaml ends the scalar and reads on.
 */
function checked(events: Event[], source: string): Event[] {
  for (const event of events) {
    if (event.type !== EVENT_ID.SCALAR || event.indent < 0) continue
    if (event.style !== SCALAR_STYLE.LITERAL_BLOCK && event.style !== SCALAR_STYLE.FOLDED_BLOCK) continue
    for (let line = event.valueStart; line <= event.valueEnd && line < source.length;) {
      let column = 0
      while (source.charCodeAt(line + column) === 0x20) column++
      if (column < event.indent && source.charCodeAt(line + column) === 0x09) {
        YAMLException.throwAt(source, line + column, 'tab characters must not be used in indentation')
      }
      const next = source.indexOf('\n', line)
      if (next === -1) break
      line = next + 1
    }
  }
  if (source.charCodeAt(0) === 0x25 || source.includes('\n%')) checkDirectives(source)
  return events
}

/**
 * A `%` line (a directive) after a document's content with no `...` between: YAML and go-yaml
 * refuse it (`yaml`: "Plain value cannot start with directive indicator character %"),
 * js-yaml takes it as a directive of the next document.
 */
function checkDirectives(source: string): void {
  let inDocument = false
  for (let line = 0; line < source.length;) {
    const next = source.indexOf('\n', line)
    const text = source.slice(line, next === -1 ? source.length : next)
    if (/^(?:---|\.\.\.)(?:[ \t\r]|$)/.test(text)) inDocument = text.startsWith('-')
    else if (text.startsWith('%')) {
      if (inDocument)
        YAMLException.throwAt(source, line, 'a directive (%) must come before "---", after a document ended by "..."')
    } else if (!/^[ \t]*(?:#.*)?\r?$/.test(text)) inDocument = true
    if (next === -1) break
    line = next + 1
  }
}
