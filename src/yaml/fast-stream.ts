import { ToolError } from '../core/index.js'
import { EventTree } from './event-tree.js'
import { END, FastCursor, GiveUp, MARKER } from './fast-cursor.js'
import { readBlockCollection } from './fast-block.js'
import { readFlow } from './fast-flow.js'
import { EventRecorder } from './fast-events.js'

/** What the fast reader made of a whole file. */
export interface FastStream {
  /** One value per document, null for an empty one. */
  objects: unknown[]
  /** Per document, `[start, end)` of the text that holds it and nothing else: pairs, flattened. */
  bounds: number[]
}

/**
 * Read every document of `text` with the fast reader, or say why not (GiveUp). With a
 * `recorder`, also record the events js-yaml's parseEvents would give (for positions). Documents
 * are the ordinary Kubernetes kind: a block mapping or sequence, or a flow collection, at the
 * root; markers `---` and `...` with at most a comment after them; no directives.
 */
export function readFastStream(text: string, maxDepth: number, maxAliasExpansion: number, recorder: EventRecorder | null = null): FastStream | GiveUp {
  // js-yaml refuses NUL anywhere and treats a byte order mark specially at any document start.
  if (text.includes('\0') || text.includes('\uFEFF')) return new GiveUp('NUL or byte order mark', 0)
  const c = new FastCursor(text, maxDepth, maxAliasExpansion, recorder)
  const objects: unknown[] = []
  const bounds: number[] = []
  try {
    c.scanLines(0)
    while (c.indent !== END) {
      const start = c.lineStart
      const explicit = c.indent === MARKER
      if (explicit) {
        const isEnd = text.charCodeAt(c.pos) === 0x2e
        c.pos += 3
        c.endLine()
        // A `...` outside any document: js-yaml skips it.
        if (isEnd) continue
      }
      c.startDocument()
      c.recorder?.startDocument(explicit)
      let object: unknown = null
      if (c.indent < 0) c.recorder?.empty()
      else {
        const code = text.charCodeAt(c.pos)
        if (code === 0x5b || code === 0x7b) {
          object = readFlow(c, c.indent)
          c.endLine()
        } else object = readBlockCollection(c)
        if (c.indent >= 0) c.fail('content after the document')
      }
      objects.push(object)
      bounds.push(start, c.indent === END ? text.length : c.lineStart)
      const explicitEnd = c.indent === MARKER && text.charCodeAt(c.pos) === 0x2e
      c.recorder?.endDocument(explicitEnd)
      if (explicitEnd) {
        c.pos += 3
        c.endLine()
      }
    }
  } catch (error) {
    if (error instanceof GiveUp) return error
    throw error
  }
  return { objects, bounds }
}

/**
 * The events of the document held by `text[start, end)` (bounds from readFastStream), as
 * js-yaml's parseEvents gives them for that text alone, offsets relative to `start`.
 */
export function fastDocumentTree(text: string, start: number, end: number, maxDepth: number, maxAliasExpansion: number): EventTree {
  const source = text.slice(start, end)
  const recorder = new EventRecorder()
  const read = readFastStream(source, maxDepth, maxAliasExpansion, recorder)
  if (read instanceof GiveUp || read.objects.length !== 1) {
    throw new ToolError('INTERNAL', `The fast YAML reader could not read again the document at offset ${start}.`, { cause: read })
  }
  return new EventTree(recorder.events, source, start)
}
