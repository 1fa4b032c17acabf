import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { StringDecoder } from 'node:string_decoder'

/** Where a segment of a spool is. */
export interface SpoolSegment {
  offset: number
  length: number
}

const READ_CHUNK = 1 << 20

/**
 * Text written aside while a scan goes on (a report's findings, already serialized) and
 * read back in any order of segments: a private folder under the system's temporary
 * folder, removed by `remove` (call it in a `finally`: on error too).
 */
export class Spool {
  readonly #dir: string
  readonly #fd: number
  #size = 0
  #removed = false

  constructor() {
    this.#dir = mkdtempSync(path.join(os.tmpdir(), 'palisade-spool-'))
    try {
      this.#fd = openSync(path.join(this.#dir, 'findings'), 'w+', 0o600)
    } catch (error) {
      rmSync(this.#dir, { recursive: true, force: true })
      throw error
    }
  }

  /** The folder (tests check it is gone). */
  get dir(): string {
    return this.#dir
  }

  /** Write a text at the end; where it is. */
  append(text: string): SpoolSegment {
    const bytes = Buffer.from(text, 'utf8')
    let written = 0
    while (written < bytes.length)
      written += writeSync(this.#fd, bytes, written, bytes.length - written, this.#size + written)
    const segment = { offset: this.#size, length: bytes.length }
    this.#size += bytes.length
    return segment
  }

  /** A segment's text, a megabyte or so at a time. */
  *read(segment: SpoolSegment): Generator<string> {
    const decoder = new StringDecoder('utf8')
    const buffer = Buffer.allocUnsafe(Math.min(READ_CHUNK, Math.max(segment.length, 1)))
    let done = 0
    while (done < segment.length) {
      const n = readSync(this.#fd, buffer, 0, Math.min(buffer.length, segment.length - done), segment.offset + done)
      if (n === 0) throw new Error(`spool: ${segment.length - done} bytes missing at ${segment.offset + done}`)
      done += n
      const text = decoder.write(buffer.subarray(0, n))
      if (text !== '') yield text
    }
    const rest = decoder.end()
    if (rest !== '') yield rest
  }

  /** Close and delete the spool (again is a no-op). */
  remove(): void {
    if (this.#removed) return
    this.#removed = true
    try {
      closeSync(this.#fd)
    } finally {
      rmSync(this.#dir, { recursive: true, force: true })
    }
  }
}
