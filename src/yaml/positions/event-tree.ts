import { ArrayEventList, type EventList } from './event-list.js'
import { EVENT_ID, type Event } from '../js-yaml.js'

/**
 * Structure over a js-yaml event stream, built on first use only (when a position is asked
 * for): where each document starts, where each collection ends, which node an alias names.
 * `source` is the text the event offsets refer to; `base` is where that text starts in the
 * file (non-zero for a chunk re-parsed after an error).
 */
export class EventTree {
  private closeIndex: Int32Array | undefined
  private openIndex: Int32Array | undefined
  private documentStarts: number[] | undefined
  private anchors: Map<string, number[]> | undefined

  readonly events: EventList

  constructor(
    events: Event[] | EventList,
    readonly source: string,
    readonly base: number,
  ) {
    this.events = Array.isArray(events) ? new ArrayEventList(events) : events
  }

  event(index: number): Event {
    const event = this.events.at(index)
    if (event === undefined) throw new RangeError(`no event ${index}`)
    return event
  }

  /** The type of the event at `index` (EVENT_ID), without building the event. */
  typeOf(index: number): number {
    if (index < 0 || index >= this.events.length) throw new RangeError(`no event ${index}`)
    return this.events.typeAt(index)
  }

  /** The event at `index`, undefined outside the stream. */
  eventAt(index: number): Event | undefined {
    return this.events.at(index)
  }

  /** js-yaml's own event array (trees from parseEvents), for constructFromEvents. */
  jsYamlEvents(): Event[] {
    if (!(this.events instanceof ArrayEventList)) throw new TypeError('not a js-yaml event stream')
    return this.events.array
  }

  /** Number of documents in the stream. */
  documentCount(): number {
    return this.starts().length
  }

  /** Event index of the root node of the n-th document of this stream. */
  documentRoot(ordinal: number): number {
    const start = this.starts()[ordinal]
    if (start === undefined) throw new RangeError(`no document ${ordinal}`)
    return start + 1
  }

  /** Index of the event after the node that starts at `index` (past its POP for a collection). */
  next(index: number): number {
    const type = this.typeOf(index)
    if (type !== EVENT_ID.MAPPING && type !== EVENT_ID.SEQUENCE) return index + 1
    return this.closes()[index]! + 1
  }

  /** Index of the POP that closes the collection starting at `index`. */
  close(index: number): number {
    return this.closes()[index]!
  }

  /** Start index of the collection whose POP is at `popIndex`. */
  opener(popIndex: number): number {
    this.closes()
    return this.openIndex![popIndex]!
  }

  /** Child node indexes of the collection at `index` (keys and values alternate for a mapping). */
  children(index: number): number[] {
    const out: number[] = []
    const end = this.close(index)
    for (let i = index + 1; i < end; i = this.next(i)) out.push(i)
    return out
  }

  /** The node an alias at `aliasIndex` refers to: the latest anchor of that name before it. */
  anchorTarget(aliasIndex: number): number | undefined {
    const alias = this.event(aliasIndex)
    if (alias.type !== EVENT_ID.ALIAS) return undefined
    const candidates = this.anchorTable().get(this.source.slice(alias.anchorStart, alias.anchorEnd))
    let found: number | undefined
    for (const index of candidates ?? []) if (index < aliasIndex) found = index
    return found
  }

  /** Follow aliases to the node they name (through chains of aliases). */
  deref(index: number): number {
    let current = index
    for (let hops = 0; hops < 64 && this.typeOf(current) === EVENT_ID.ALIAS; hops++) {
      const target = this.anchorTarget(current)
      if (target === undefined) return current
      current = target
    }
    return current
  }

  private starts(): number[] {
    if (this.documentStarts) return this.documentStarts
    const starts: number[] = []
    for (let i = 0; i < this.events.length; i++) if (this.events.typeAt(i) === EVENT_ID.DOCUMENT) starts.push(i)
    return (this.documentStarts = starts)
  }

  private closes(): Int32Array {
    if (this.closeIndex) return this.closeIndex
    const closes = new Int32Array(this.events.length)
    const openers = new Int32Array(this.events.length)
    const open: number[] = []
    for (let i = 0; i < this.events.length; i++) {
      const type = this.events.typeAt(i)
      if (type === EVENT_ID.MAPPING || type === EVENT_ID.SEQUENCE || type === EVENT_ID.DOCUMENT) open.push(i)
      else if (type === EVENT_ID.POP) {
        const start = open.pop()
        if (start !== undefined) {
          closes[start] = i
          openers[i] = start
        }
      }
    }
    this.openIndex = openers
    return (this.closeIndex = closes)
  }

  private anchorTable(): Map<string, number[]> {
    if (this.anchors) return this.anchors
    const anchors = new Map<string, number[]>()
    for (let index = 0; index < this.events.length; index++) {
      const type = this.events.typeAt(index)
      if (type === EVENT_ID.ALIAS || this.events.anchorStartAt(index) < 0) continue
      const event = this.event(index) as Event & { anchorStart: number; anchorEnd: number }
      const name = this.source.slice(event.anchorStart, event.anchorEnd)
      const list = anchors.get(name)
      if (list) list.push(index)
      else anchors.set(name, [index])
    }
    return (this.anchors = anchors)
  }
}
