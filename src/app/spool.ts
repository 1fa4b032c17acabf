import { closeSync, fstatSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { StringDecoder } from 'node:string_decoder'
import { removeOnInterrupt } from './interrupt-cleanup.js'

/** Where a segment of a spool is. */
export interface SpoolSegment {
  offset: number
  length: number
}

const READ_CHUNK = 1 << 20

/** One file of a spool: text appended, segments read back in any order. */
export class SpoolFile {
  readonly #fd: number
  #size: number
  #closed = false

  /** Create the file (`write`: it must not exist) or open one another thread wrote (`read`). */
  constructor(file: string, mode: 'write' | 'read') {
    this.#fd = openSync(file, mode === 'write' ? 'wx+' : 'r', 0o600)
    this.#size = mode === 'write' ? 0 : fstatSync(this.#fd).size
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

  /** Copy a segment's bytes into `target` at `at` (no decoding: a report copies them as they are). */
  readInto(segment: SpoolSegment, target: Uint8Array, at: number): void {
    if (at + segment.length > target.length) throw new Error(`spool: ${segment.length} bytes do not fit at ${at}`)
    let done = 0
    while (done < segment.length) {
      const n = readSync(this.#fd, target, at + done, segment.length - done, segment.offset + done)
      if (n === 0) throw new Error(`spool: ${segment.length - done} bytes missing at ${segment.offset + done}`)
      done += n
    }
  }

  /** Close the file (again is a no-op). */
  close(): void {
    if (this.#closed) return
    this.#closed = true
    closeSync(this.#fd)
  }
}

/**
 * Text written aside while a scan goes on (a report's findings, already serialized) and
 * read back in any order of segments: a private folder under the system's temporary
 * folder, removed by `remove` (call it in a `finally`: on error too). Worker threads write
 * their own files in the same folder (`SpoolFile`, named by `fileFor`), so `remove` takes
 * theirs too, also when a worker died. SIGINT or SIGTERM before `remove` deletes the folder
 * too (interrupt-cleanup.ts).
 */
export class Spool {
  readonly #dir: string
  readonly #main: SpoolFile
  readonly #others = new Map<string, SpoolFile>()
  readonly #forget: () => void
  #removed = false

  constructor() {
    this.#dir = mkdtempSync(path.join(os.tmpdir(), 'palisade-spool-'))
    this.#forget = removeOnInterrupt(this.#dir)
    try {
      this.#main = new SpoolFile(path.join(this.#dir, 'findings'), 'write')
    } catch (error) {
      rmSync(this.#dir, { recursive: true, force: true })
      this.#forget()
      throw error
    }
  }

  /** The folder (tests check it is gone). */
  get dir(): string {
    return this.#dir
  }

  /** The path of another thread's file in this spool (`name`: letters, digits, dashes). */
  fileFor(name: string): string {
    if (!/^[a-z0-9-]+$/.test(name) || name === 'findings') throw new Error(`spool: bad file name ${name}`)
    return path.join(this.#dir, name)
  }

  /** Write a text at the end of the spool's own file; where it is. */
  append(text: string): SpoolSegment {
    return this.#main.append(text)
  }

  /** A segment's text, from the spool's own file or from another thread's (`name`, once it closed it). */
  read(segment: SpoolSegment, name?: string): Generator<string> {
    return this.#file(name).read(segment)
  }

  /** Copy a segment's bytes into `target` at `at`, from the spool's own file or another thread's (`name`). */
  readInto(segment: SpoolSegment, name: string | undefined, target: Uint8Array, at: number): void {
    this.#file(name).readInto(segment, target, at)
  }

  #file(name: string | undefined): SpoolFile {
    if (name === undefined) return this.#main
    let file = this.#others.get(name)
    if (!file) this.#others.set(name, (file = new SpoolFile(this.fileFor(name), 'read')))
    return file
  }

  /** Close and delete the spool (again is a no-op). */
  remove(): void {
    if (this.#removed) return
    this.#removed = true
    try {
      for (const file of this.#others.values()) file.close()
      this.#main.close()
    } finally {
      rmSync(this.#dir, { recursive: true, force: true })
      this.#forget()
    }
  }
}
