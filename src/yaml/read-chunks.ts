import { parseEvents, YAMLException } from './js-yaml.js'
import type { Diagnostic } from '../core/index.js'
import { parserDiagnostic } from './diagnostics.js'
import { splitDocuments, type Segment } from './document-split.js'
import { EventTree } from './event-tree.js'
import { flattenFlowSeparation } from './flow-flatten.js'
import type { LineIndex } from './line-index.js'

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
    return [treeOf(text, 0, maxDepth)]
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

function parseRange(text: string, segments: readonly Segment[], from: number, to: number, maxDepth: number): EventTree | Failure {
  const base = segments[from]?.start ?? 0
  const end = segments[to - 1]?.end ?? text.length
  const source = text.slice(base, end)
  try {
    return treeOf(source, base, maxDepth)
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

/**
 * The events of `source`. When js-yaml refuses it, and `yaml` reads it, its flow collections
 * are read again flattened onto one line each (flow-flatten.ts; same offsets); if js-yaml
 * refuses that too, the first error stands.
 */
function treeOf(source: string, base: number, maxDepth: number): EventTree {
  try {
    return new EventTree(parseEvents(source, { maxDepth }), source, base)
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error
    const flat = flattenFlowSeparation(source)
    if (flat === undefined) throw error
    try {
      return new EventTree(parseEvents(flat, { maxDepth }), flat, base)
    } catch {
      // The flattened text is only a second chance; the error worth reporting is the first.
      throw error
    }
  }
}
