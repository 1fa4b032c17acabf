import { CHOMPING_MODE, COLLECTION_STYLE, EVENT_ID, SCALAR_STYLE, type Event } from '../js-yaml.js'

/**
 * js-yaml's events as the event tree reads them: by index, with the type alone readable
 * without building an event object (the tree's indexes look at every event's type).
 */
export interface EventList {
  readonly length: number
  /** The event at `index`, undefined outside [0, length). */
  at(index: number): Event | undefined
  typeAt(index: number): number
  /** Start of the anchor on the node at `index`; -1 when it has none (or is not a node that can have one). */
  anchorStartAt(index: number): number
  /**
   * The style of the scalar at `index` when its value is its source text (the reader marked
   * it fast) and it has no tag; -1 otherwise. With valueStartAt and valueEndAt, locating a
   * key reads its text without building the event.
   */
  fastScalarStyleAt(index: number): number
  valueStartAt(index: number): number
  valueEndAt(index: number): number
}

/** js-yaml's own events (parseEvents). */
export class ArrayEventList implements EventList {
  constructor(readonly array: Event[]) {}
  get length(): number {
    return this.array.length
  }
  at(index: number): Event | undefined {
    return index >= 0 ? this.array[index] : undefined
  }
  typeAt(index: number): number {
    return (this.array[index] as Event).type
  }
  anchorStartAt(index: number): number {
    const event = this.array[index] as Event
    return 'anchorStart' in event && event.type !== EVENT_ID.ALIAS ? event.anchorStart : -1
  }
  fastScalarStyleAt(index: number): number {
    const event = this.array[index] as Event
    return event.type === EVENT_ID.SCALAR && event.fast && event.tagStart < 0 ? event.style : -1
  }
  valueStartAt(index: number): number {
    const event = this.array[index] as Event
    return event.type === EVENT_ID.SCALAR ? event.valueStart : -1
  }
  valueEndAt(index: number): number {
    const event = this.array[index] as Event
    return event.type === EVENT_ID.SCALAR ? event.valueEnd : -1
  }
}

// Layout of one compact event: six int32 slots.
//   0: type (3 bits) | style << 3 (3 bits) | chomping << 6 (2 bits) | fast << 8 | explicitStart << 9 | explicitEnd << 10
//   scalar:     1 valueStart, 2 valueEnd, 3 anchorStart, 4 anchorEnd, 5 indent
//   collection: 1 start, 3 anchorStart, 4 anchorEnd
//   alias:      3 anchorStart, 4 anchorEnd
const STRIDE = 6
const TYPE_MASK = 7

/**
 * The fast reader's record of the events js-yaml would give, packed into one growing
 * Int32Array: a scan records the events of every document it reads (a million for 20,000
 * resources), and as objects they cost more in garbage collection than the reading itself.
 * An event object is built only when the tree asks for that event, and kept.
 */
export class CompactEventList implements EventList {
  private data: Int32Array
  private count = 0
  private readonly built = new Map<number, Event>()

  /** `expected`: events to make room for (manifests run at about one event per 9 bytes). */
  constructor(expected = 256) {
    this.data = new Int32Array(STRIDE * Math.max(16, expected))
  }

  get length(): number {
    return this.count
  }

  typeAt(index: number): number {
    return (this.data[index * STRIDE] as number) & TYPE_MASK
  }

  anchorStartAt(index: number): number {
    const type = this.typeAt(index)
    return type === EVENT_ID.SCALAR || type === EVENT_ID.MAPPING || type === EVENT_ID.SEQUENCE
      ? (this.data[index * STRIDE + 3] as number)
      : -1
  }

  /** Compact events have no tags (the fast reader hands tagged documents to js-yaml). */
  fastScalarStyleAt(index: number): number {
    const head = this.data[index * STRIDE] as number
    return (head & TYPE_MASK) === EVENT_ID.SCALAR && (head & (1 << 8)) !== 0 ? (head >> 3) & 7 : -1
  }

  valueStartAt(index: number): number {
    return this.typeAt(index) === EVENT_ID.SCALAR ? (this.data[index * STRIDE + 1] as number) : -1
  }

  valueEndAt(index: number): number {
    return this.typeAt(index) === EVENT_ID.SCALAR ? (this.data[index * STRIDE + 2] as number) : -1
  }

  at(index: number): Event | undefined {
    if (index < 0 || index >= this.count) return undefined
    let event = this.built.get(index)
    if (event === undefined) {
      event = this.build(index)
      this.built.set(index, event)
    }
    return event
  }

  /** Append an event; returns its index. */
  push(head: number, a: number, b: number, anchorStart: number, anchorEnd: number, indent: number): number {
    if ((this.count + 1) * STRIDE > this.data.length) {
      const grown = new Int32Array(this.data.length * 2)
      grown.set(this.data)
      this.data = grown
    }
    const at = this.count * STRIDE
    const d = this.data
    d[at] = head
    d[at + 1] = a
    d[at + 2] = b
    d[at + 3] = anchorStart
    d[at + 4] = anchorEnd
    d[at + 5] = indent
    return this.count++
  }

  /** Mark the document event at `index` as ended by `...`. */
  setExplicitEnd(index: number): void {
    this.data[index * STRIDE] = (this.data[index * STRIDE] as number) | (1 << 10)
    this.built.delete(index)
  }

  private build(index: number): Event {
    const d = this.data
    const at = index * STRIDE
    const head = d[at] as number
    const type = head & TYPE_MASK
    const anchorStart = d[at + 3] as number
    const anchorEnd = d[at + 4] as number
    switch (type) {
      case EVENT_ID.SCALAR:
        return {
          type: EVENT_ID.SCALAR,
          valueStart: d[at + 1] as number,
          valueEnd: d[at + 2] as number,
          anchorStart,
          anchorEnd,
          tagStart: -1,
          tagEnd: -1,
          style: ((head >> 3) & 7) as Extract<Event, { type: typeof EVENT_ID.SCALAR }>['style'],
          chomping: ((head >> 6) & 3) as Extract<Event, { type: typeof EVENT_ID.SCALAR }>['chomping'],
          indent: d[at + 5] as number,
          fast: (head & (1 << 8)) !== 0,
        }
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE:
        return {
          type,
          start: d[at + 1] as number,
          anchorStart,
          anchorEnd,
          tagStart: -1,
          tagEnd: -1,
          style: ((head >> 3) & 7) as Extract<Event, { type: typeof EVENT_ID.MAPPING }>['style'],
        }
      case EVENT_ID.ALIAS:
        return { type: EVENT_ID.ALIAS, anchorStart, anchorEnd }
      case EVENT_ID.DOCUMENT:
        return {
          type: EVENT_ID.DOCUMENT,
          explicitStart: (head & (1 << 9)) !== 0,
          explicitEnd: (head & (1 << 10)) !== 0,
          directives: [],
        }
      default:
        return { type: EVENT_ID.POP }
    }
  }
}

/** Packed first slot of a compact event. */
export function eventHead(type: number, style = 0, chomping = 0, fast = false, explicitStart = false): number {
  return type | (style << 3) | (chomping << 6) | (fast ? 1 << 8 : 0) | (explicitStart ? 1 << 9 : 0)
}

// The packing keeps these in 3 and 2 bits.
if (
  Math.max(...Object.values(SCALAR_STYLE), ...Object.values(COLLECTION_STYLE)) > 7 ||
  Math.max(...Object.values(CHOMPING_MODE)) > 3 ||
  Math.max(...Object.values(EVENT_ID)) > TYPE_MASK
) {
  throw new Error('js-yaml event constants no longer fit the compact event layout')
}
