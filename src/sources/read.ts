import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs'
import { describeError, notRegularReason, type Diagnostic, type SourceSpan } from '../core/index.js'

/** A file found by discovery, before it is read. */
export interface FoundFile {
  /** Path as shown to users: relative to cwd when inside it, else absolute. */
  path: string
  absolutePath: string
}

/** The raw bytes of a source; decoding (UTF-8, BOM, binary detection) is the YAML layer's job. */
export interface RawSource {
  path: string
  bytes: Uint8Array
}

/** Default cap on one manifest file: larger files are reported, not parsed. */
export const DEFAULT_MAX_FILE_BYTES = 16 * 1024 * 1024

const at = (file: string): SourceSpan => ({
  file,
  start: { line: 1, column: 1, offset: 0 },
  end: { line: 1, column: 1, offset: 0 },
})

/**
 * Read one file, refusing files over `maxBytes` (FILE_TOO_LARGE) and reporting I/O failures
 * (FILE_UNREADABLE). Synchronous: manifests are small, and for thousands of them the
 * promise API's per-call overhead (open, stat, read, close each a thread-pool round trip)
 * cost more than the reads.
 */
export function readSource(
  file: FoundFile,
  maxBytes = DEFAULT_MAX_FILE_BYTES,
  reads?: FileReads,
): RawSource | Diagnostic {
  try {
    const read = reads ? reads.take(file.absolutePath) : readBounded(file.absolutePath, maxBytes)
    if ('tooLarge' in read) {
      return {
        code: 'FILE_TOO_LARGE',
        message: `${file.path} is ${read.tooLarge} bytes, over the ${maxBytes}-byte limit; not scanned`,
        span: at(file.path),
        hint: 'raise --max-file-size or add it to .palisadeignore',
      }
    }
    return { path: file.path, bytes: read.bytes }
  } catch (error) {
    if (error instanceof NotRegularFileError)
      return { code: 'FILE_UNREADABLE', message: `${file.path} is ${error.message}`, span: at(file.path) }
    return {
      code: 'FILE_UNREADABLE',
      message: `cannot read ${file.path}: ${describeError(error)}`,
      span: at(file.path),
    }
  }
}

/**
 * A file's bytes, or its size when it is over the limit (then it is not read past the
 * limit). Only regular files are opened: the path is stat'ed first, and a FIFO, socket or
 * device is refused (NOT_REGULAR_FILE) without being opened (opening a FIFO blocks, some
 * devices act on open). The open itself is non-blocking and re-checked with fstat, in case
 * the path was swapped in between. At most `maxBytes + 1` bytes are read, whatever the
 * size said: a file that grows while it is read, or says 0 bytes (/proc), is still capped. Throws what the file
 * system throws.
 */
export function readBounded(absolutePath: string, maxBytes: number): { bytes: Buffer } | { tooLarge: number } {
  const before = notRegularReason(statSync(absolutePath))
  if (before !== undefined) throw new NotRegularFileError(before)
  const fd = openSync(absolutePath, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0))
  try {
    const info = fstatSync(fd)
    const after = notRegularReason(info)
    if (after !== undefined) throw new NotRegularFileError(after)
    if (info.size > maxBytes) return { tooLarge: info.size }
    const cap = maxBytes + 1
    // size + 1: one spare byte shows whether the file grew; a file that says 0 (/proc) starts at 64 KiB.
    let buffer = Buffer.allocUnsafe(Math.min(cap, info.size > 0 ? info.size + 1 : 64 * 1024))
    let length = 0
    for (;;) {
      if (length === buffer.length) {
        if (buffer.length >= cap) break
        const bigger = Buffer.allocUnsafe(Math.min(cap, buffer.length * 2))
        buffer.copy(bigger, 0, 0, length)
        buffer = bigger
      }
      const n = readSync(fd, buffer, length, buffer.length - length, null)
      if (n === 0) break
      length += n
      // The size stat gave is read: stop without a read for end of file (one syscall per file).
      // Bytes appended since are not read, and the cap holds either way.
      if (info.size > 0 && length >= info.size) break
    }
    if (length > maxBytes) return { tooLarge: length }
    return { bytes: buffer.subarray(0, length) }
  } finally {
    closeSync(fd)
  }
}

/** A path that is not a regular file (FIFO, socket, device, folder): reported, never read. */
export class NotRegularFileError extends Error {
  override readonly name = 'NotRegularFileError'
}

/**
 * The files of one scan, each read once: the GitOps inventory reads every YAML file to
 * look for Argo CD and Flux objects, and the manifest reader then needs the same bytes.
 * A file is kept from its first read until it is taken; failures are kept and rethrown.
 */
export class FileReads {
  readonly #kept = new Map<string, { bytes: Buffer } | { tooLarge: number } | { error: unknown }>()
  /** `keep: false`: nothing is kept (a streaming scan reads each file when it checks it, not all at once). */
  constructor(
    readonly maxBytes: number,
    readonly keep = true,
  ) {}

  /** The bytes (or the size, over the limit), kept for a later take. */
  read(absolutePath: string): { bytes: Buffer } | { tooLarge: number } {
    let kept = this.#kept.get(absolutePath)
    if (kept === undefined) {
      try {
        kept = readBounded(absolutePath, this.maxBytes)
      } catch (error) {
        kept = { error }
      }
      if (this.keep) this.#kept.set(absolutePath, kept)
    }
    if ('error' in kept) throw kept.error
    return kept
  }

  /** The bytes (or size), forgotten here: read from disk if no one read them before. */
  take(absolutePath: string): { bytes: Buffer } | { tooLarge: number } {
    try {
      return this.read(absolutePath)
    } finally {
      this.#kept.delete(absolutePath)
    }
  }
}

/**
 * Read a stream (stdin for `palisade scan -`), keeping at most `maxBytes`: past that the
 * stream is left (not drained) and FILE_TOO_LARGE is returned, so `cat /dev/zero |
 * palisade scan -` stops at the limit.
 */
export async function readStream(
  stream: AsyncIterable<Uint8Array | string>,
  name = '<stdin>',
  maxBytes = DEFAULT_MAX_FILE_BYTES,
): Promise<RawSource | Diagnostic> {
  const chunks: Uint8Array[] = []
  let length = 0
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk
    chunks.push(bytes)
    length += bytes.length
    if (length > maxBytes) {
      return {
        code: 'FILE_TOO_LARGE',
        message: `${name} is over the ${maxBytes}-byte limit; not scanned`,
        span: at(name),
        hint: 'raise --max-file-size',
      }
    }
  }
  return { path: name, bytes: Buffer.concat(chunks) }
}
