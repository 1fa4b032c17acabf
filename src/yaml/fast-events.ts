import { CHOMPING_MODE, COLLECTION_STYLE, EVENT_ID, SCALAR_STYLE, type Event } from './js-yaml.js'

type ScalarEvent = Extract<Event, { type: typeof EVENT_ID.SCALAR }>
type DocumentEvent = Extract<Event, { type: typeof EVENT_ID.DOCUMENT }>

/**
 * The events js-yaml's parseEvents would give for what the fast reader reads (same offsets,
 * same styles), recorded when positions are wanted, so that event-tree.ts, node-offsets.ts and
 * locate-pointer.ts work on them unchanged. No tags: the fast reader gives up on them.
 */
export class EventRecorder {
  readonly events: Event[] = []
  /** The anchor read for the node about to start: js-yaml reports it on that node's event. */
  private anchorStart = -1
  private anchorEnd = -1
  private document: DocumentEvent | null = null

  /** An anchor name at `[start, end)`, for the next node; for an alias, see `alias`. */
  properties(start: number, end: number): void {
    this.anchorStart = start
    this.anchorEnd = end
  }

  /** An alias whose name was just given to `properties`. */
  alias(): void {
    this.events.push({ type: EVENT_ID.ALIAS, anchorStart: this.anchorStart, anchorEnd: this.anchorEnd })
    this.anchorStart = this.anchorEnd = -1
  }

  /** A plain scalar (`fast` when on one line, as js-yaml marks it). */
  plain(valueStart: number, valueEnd: number, fast: boolean): void {
    this.scalar(valueStart, valueEnd, SCALAR_STYLE.PLAIN, fast, CHOMPING_MODE.CLIP, -1)
  }

  /** A quoted scalar whose text is `[valueStart, valueEnd)`, inside the quotes. */
  quoted(valueStart: number, valueEnd: number, double: boolean): void {
    // fast: false makes getScalarValue decode the text, which is right whatever it holds.
    this.scalar(valueStart, valueEnd, double ? SCALAR_STYLE.DOUBLE_QUOTED : SCALAR_STYLE.SINGLE_QUOTED, false, CHOMPING_MODE.CLIP, -1)
  }

  /** A block scalar; `chomping` is 0 (clip), 1 (strip) or 2 (keep), `indent` its content's. */
  block(valueStart: number, valueEnd: number, folded: boolean, chomping: number, indent: number): void {
    const mode = chomping === 0 ? CHOMPING_MODE.CLIP : chomping === 1 ? CHOMPING_MODE.STRIP : CHOMPING_MODE.KEEP
    this.scalar(valueStart, valueEnd, folded ? SCALAR_STYLE.FOLDED_BLOCK : SCALAR_STYLE.LITERAL_BLOCK, false, mode, indent)
  }

  /** An empty scalar (`key:` with nothing after it). */
  empty(): void {
    this.scalar(-1, -1, SCALAR_STYLE.PLAIN, false, CHOMPING_MODE.CLIP, -1)
  }

  /** The start of a block (`flow` false) or flow collection. */
  collection(mapping: boolean, start: number, flow: boolean): void {
    const { anchorStart, anchorEnd } = this
    this.anchorStart = this.anchorEnd = -1
    const style = flow ? COLLECTION_STYLE.FLOW : COLLECTION_STYLE.BLOCK
    this.events.push({ type: mapping ? EVENT_ID.MAPPING : EVENT_ID.SEQUENCE, start, anchorStart, anchorEnd, tagStart: -1, tagEnd: -1, style })
  }

  /** The end of a collection. */
  pop(): void {
    this.events.push({ type: EVENT_ID.POP })
  }

  /** The start of a document (`explicitStart` after `---`). */
  startDocument(explicitStart: boolean): void {
    this.document = { type: EVENT_ID.DOCUMENT, explicitStart, explicitEnd: false, directives: [] }
    this.events.push(this.document)
  }

  /** The end of the document just read (`explicitEnd` when a `...` ends it). */
  endDocument(explicitEnd: boolean): void {
    if (this.document !== null) this.document.explicitEnd = explicitEnd
    this.events.push({ type: EVENT_ID.POP })
  }

  private scalar(valueStart: number, valueEnd: number, style: ScalarEvent['style'], fast: boolean, chomping: ScalarEvent['chomping'], indent: number): void {
    const { anchorStart, anchorEnd } = this
    this.anchorStart = this.anchorEnd = -1
    this.events.push({ type: EVENT_ID.SCALAR, valueStart, valueEnd, anchorStart, anchorEnd, tagStart: -1, tagEnd: -1, style, chomping, indent, fast })
  }
}
