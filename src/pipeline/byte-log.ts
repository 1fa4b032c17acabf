import { deserialize, serialize } from 'node:v8'

const CHUNK = 1 << 20
/** Marks a string that stands for a number JSON cannot hold (-0, NaN, ±Infinity), or a string that began with it. */
const MARK = '\u0000'

/**
 * Values kept as bytes, packed into megabyte chunks: a small part of 100,000 resources costs
 * its bytes, not an object graph, nor strings that are slices of a whole file's text.
 *
 * Plain data (what YAML gives: objects, arrays, strings, numbers, booleans, null) is kept as
 * JSON text, exact for -0, NaN and Infinity too (tagged, see MARK). Anything else goes through
 * V8's serializer. Not V8's serializer for everything: each `v8.serialize` call leaves about a
 * kilobyte of native memory that the process does not give back (measured: 100,000 calls,
 * +125 MB RSS outside the JS heap; docs/performance.md), which made a 100k-resource scan's
 * peak grow with its resources.
 */
/** A ByteLog as data another thread can be sent (structured clone), for reading there. */
export interface ByteLogData {
  chunks: Uint8Array[]
  where: Float64Array
}

export class ByteLog {
  readonly #chunks: Buffer[] = []
  #used = CHUNK
  /** Per value: chunk, offset, length (negative for V8's bytes). */
  readonly #where: number[] = []
  /** Handles by text, for values kept many times over (see `constructor`). */
  readonly #shared = new Map<string, number>()
  readonly #shareUpTo: number

  /**
   * @param shareUpTo how many distinct values to remember, so that a value added again (the
   * same JSON text) shares the first one's bytes: a cross-resource policy's outcomes are mostly
   * the same few messages. Capped: hostile input with every value different costs only the cap.
   */
  constructor(shareUpTo = 0) {
    this.#shareUpTo = shareUpTo
  }

  /** The log's bytes and places, for `fromData` in another thread (values added later are not in it). */
  data(): ByteLogData {
    return { chunks: this.#chunks.slice(0, this.#chunks.length), where: Float64Array.from(this.#where) }
  }

  /** A log to read (`get`) the values of another thread's log, from its `data()`. */
  static fromData(data: ByteLogData): ByteLog {
    const log = new ByteLog()
    for (const chunk of data.chunks) log.#chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength))
    for (const n of data.where) log.#where.push(n)
    return log
  }

  /** Keep a value; its handle. */
  add(value: unknown): number {
    const text = plain(value) ? JSON.stringify(value, tag) : undefined
    if (text !== undefined && this.#shareUpTo > 0) {
      const seen = this.#shared.get(text)
      if (seen !== undefined) {
        const at = seen * 3
        this.#where.push(this.#where[at] as number, this.#where[at + 1] as number, this.#where[at + 2] as number)
        return this.#where.length / 3 - 1
      }
      if (this.#shared.size < this.#shareUpTo) this.#shared.set(text, this.#where.length / 3)
    }
    const length = text === undefined ? -1 : Buffer.byteLength(text)
    const bytes = text === undefined ? serialize(value) : undefined
    const size = bytes ? bytes.length : length
    if (this.#used + size > CHUNK) {
      this.#chunks.push(Buffer.allocUnsafe(Math.max(CHUNK, size)))
      this.#used = 0
    }
    const chunk = this.#chunks[this.#chunks.length - 1] as Buffer
    if (bytes) bytes.copy(chunk, this.#used)
    else chunk.write(text as string, this.#used)
    this.#where.push(this.#chunks.length - 1, this.#used, bytes ? -size : size)
    this.#used += size
    return this.#where.length / 3 - 1
  }

  /** A fresh copy of a kept value. */
  get(handle: number): unknown {
    const at = handle * 3
    const chunk = this.#chunks[this.#where[at] as number] as Buffer
    const offset = this.#where[at + 1] as number
    const length = this.#where[at + 2] as number
    if (length < 0) return deserialize(chunk.subarray(offset, offset - length))
    const text = chunk.toString('utf8', offset, offset + length)
    return text.includes('\\u0000') ? JSON.parse(text, untag) : JSON.parse(text)
  }
}

/** Whether JSON (with `tag`) holds a value exactly: plain objects, arrays and primitives JSON knows, all the way down. */
function plain(value: unknown, depth = 0): boolean {
  if (value === null) return true
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return true
    case 'object': {
      if (depth > 200) return false
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!(i in value) || !plain(value[i], depth + 1)) return false
        return true
      }
      const proto = Object.getPrototypeOf(value) as unknown
      if (proto !== Object.prototype && proto !== null) return false
      for (const key of Object.keys(value)) {
        const v = (value as Record<string, unknown>)[key]
        if (v === undefined || !plain(v, depth + 1)) return false
      }
      return Object.getOwnPropertySymbols(value).length === 0
    }
    default:
      return false
  }
}

function tag(_key: string, value: unknown): unknown {
  if (typeof value === 'number')
    return Number.isFinite(value) && !Object.is(value, -0)
      ? value
      : MARK + (Object.is(value, -0) ? '-0' : String(value))
  if (typeof value === 'string' && value.startsWith(MARK)) return MARK + value
  return value
}

function untag(_key: string, value: unknown): unknown {
  if (typeof value !== 'string' || !value.startsWith(MARK)) return value
  return value.startsWith(MARK, 1) ? value.slice(1) : Number(value.slice(1))
}
