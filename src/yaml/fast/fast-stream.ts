import { END, FastCursor, GiveUp, MARKER } from './fast-cursor.js'
import { readBlockCollection } from './fast-block.js'
import { readFlow } from './fast-flow.js'
import type { EventRecorder } from './fast-events.js'

/** What the fast reader made of a whole file. */
export interface FastStream {
  /** One value per document, null for an empty one. */
  objects: unknown[]
}

/**
 * Read every document of `text` with the fast reader, or say why not (GiveUp). With a
 * `recorder`, also record the events js-yaml's parseEvents would give (for positions). Documents
 * are the ordinary Kubernetes kind: a block mapping or sequence, or a flow collection, at the
 * root; markers `---` and `...` with at most a comment after them; no directives.
 */
export function readFastStream(
  text: string,
  maxDepth: number,
  maxAliasExpansion: number,
  recorder: EventRecorder | null = null,
): FastStream | GiveUp {
  // js-yaml refuses NUL anywhere and treats a byte order mark specially at any document start.
  if (text.includes('\0') || text.includes('\uFEFF')) return new GiveUp('NUL or byte order mark', 0)
  const c = new FastCursor(text, maxDepth, maxAliasExpansion, recorder)
  const objects: unknown[] = []
  try {
    c.scanLines(0)
    while (c.indent !== END) {
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
  return { objects }
}
