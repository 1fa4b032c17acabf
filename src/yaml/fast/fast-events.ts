import { CompactEventList, eventHead } from '../positions/event-list.js'
import { CHOMPING_MODE, COLLECTION_STYLE, EVENT_ID, SCALAR_STYLE } from '../js-yaml.js'

/**
 * The events js-yaml's parseEvents would give for what the fast reader reads (same offsets,
 * same styles), recorded when positions are wanted, so that event-tree.ts, node-offsets.ts and
 * locate-pointer.ts work on them unchanged. No tags: the fast reader gives up on them.
 */
export class EventRecorder {
  readonly events: CompactEventList
  /** The anchor read for the node about to start: js-yaml reports it on that node's event. */
  private anchorStart = -1
  private anchorEnd = -1
  private document = -1

  /** `textLength`: length of the text to be read, to size the record. */
  constructor(textLength = 0) {
    this.events = new CompactEventList(Math.ceil(textLength / 8))
  }

  /** An anchor name at `[start, end)`, for the next node; for an alias, see `alias`. */
  properties(start: number, end: number): void {
    this.anchorStart = start
    this.anchorEnd = end
  }

  /** An alias whose name was just given to `properties`. */
  alias(): void {
    this.events.push(eventHead(EVENT_ID.ALIAS), 0, 0, this.anchorStart, this.anchorEnd, 0)
    this.anchorStart = this.anchorEnd = -1
  }

  /** A plain scalar (`fast` when on one line, as js-yaml marks it). */
  plain(valueStart: number, valueEnd: number, fast: boolean): void {
    this.scalar(valueStart, valueEnd, SCALAR_STYLE.PLAIN, fast, CHOMPING_MODE.CLIP, -1)
  }

  /** A quoted scalar whose text is `[valueStart, valueEnd)`, inside the quotes. */
  quoted(valueStart: number, valueEnd: number, double: boolean): void {
    // fast: false makes getScalarValue decode the text, which is right whatever it holds.
    this.scalar(
      valueStart,
      valueEnd,
      double ? SCALAR_STYLE.DOUBLE_QUOTED : SCALAR_STYLE.SINGLE_QUOTED,
      false,
      CHOMPING_MODE.CLIP,
      -1,
    )
  }

  /** A block scalar; `chomping` is 0 (clip), 1 (strip) or 2 (keep), `indent` its content's. */
  block(valueStart: number, valueEnd: number, folded: boolean, chomping: number, indent: number): void {
    const mode = chomping === 0 ? CHOMPING_MODE.CLIP : chomping === 1 ? CHOMPING_MODE.STRIP : CHOMPING_MODE.KEEP
    this.scalar(
      valueStart,
      valueEnd,
      folded ? SCALAR_STYLE.FOLDED_BLOCK : SCALAR_STYLE.LITERAL_BLOCK,
      false,
      mode,
      indent,
    )
  }

  /** An empty scalar (`key:` with nothing after it). */
  empty(): void {
    this.scalar(-1, -1, SCALAR_STYLE.PLAIN, false, CHOMPING_MODE.CLIP, -1)
  }

  /** The start of a block (`flow` false) or flow collection. */
  collection(mapping: boolean, start: number, flow: boolean): void {
    const style = flow ? COLLECTION_STYLE.FLOW : COLLECTION_STYLE.BLOCK
    this.events.push(
      eventHead(mapping ? EVENT_ID.MAPPING : EVENT_ID.SEQUENCE, style),
      start,
      0,
      this.anchorStart,
      this.anchorEnd,
      0,
    )
    this.anchorStart = this.anchorEnd = -1
  }

  /** The end of a collection. */
  pop(): void {
    this.events.push(eventHead(EVENT_ID.POP), 0, 0, -1, -1, 0)
  }

  /** The start of a document (`explicitStart` after `---`). */
  startDocument(explicitStart: boolean): void {
    this.document = this.events.push(eventHead(EVENT_ID.DOCUMENT, 0, 0, false, explicitStart), 0, 0, -1, -1, 0)
  }

  /** The end of the document just read (`explicitEnd` when a `...` ends it). */
  endDocument(explicitEnd: boolean): void {
    if (explicitEnd && this.document >= 0) this.events.setExplicitEnd(this.document)
    this.pop()
  }

  private scalar(
    valueStart: number,
    valueEnd: number,
    style: number,
    fast: boolean,
    chomping: number,
    indent: number,
  ): void {
    this.events.push(
      eventHead(EVENT_ID.SCALAR, style, chomping, fast),
      valueStart,
      valueEnd,
      this.anchorStart,
      this.anchorEnd,
      indent,
    )
    this.anchorStart = this.anchorEnd = -1
  }
}
