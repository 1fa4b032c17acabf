import { deserialize, serialize } from 'node:v8'

const CHUNK = 1 << 20

/**
 * Values kept as bytes (V8's serialization, exact for every value YAML gives: -0, Infinity,
 * NaN, ...), packed into megabyte chunks: a small part of 100,000 resources costs its bytes,
 * not an object graph, nor strings that are slices of a whole file's text.
 */
export class ByteLog {
  readonly #chunks: Buffer[] = []
  #used = CHUNK
  readonly #where: number[] = []

  /** Keep a value; its handle. */
  add(value: unknown): number {
    const bytes = serialize(value)
    if (this.#used + bytes.length > CHUNK) {
      this.#chunks.push(Buffer.allocUnsafe(Math.max(CHUNK, bytes.length)))
      this.#used = 0
    }
    const chunk = this.#chunks.length - 1
    bytes.copy(this.#chunks[chunk] as Buffer, this.#used)
    this.#where.push(chunk, this.#used, bytes.length)
    this.#used += bytes.length
    return this.#where.length / 3 - 1
  }

  /** A fresh copy of a kept value. */
  get(handle: number): unknown {
    const at = handle * 3
    const chunk = this.#chunks[this.#where[at] as number] as Buffer
    const offset = this.#where[at + 1] as number
    return deserialize(chunk.subarray(offset, offset + (this.#where[at + 2] as number)))
  }
}
