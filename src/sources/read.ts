import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs'
import { describeError, type Diagnostic, type SourceSpan } from '../core/index.js'
import type { FoundFile } from './discover.js'

/** The raw bytes of a source; decoding (UTF-8, BOM, binary detection) is the YAML layer's job. */
export interface RawSource {
  path: string
  bytes: Uint8Array
}

/** Default cap on one manifest file: larger files are reported, not parsed. */
export const DEFAULT_MAX_FILE_BYTES = 16 * 1024 * 1024

const at = (file: string): SourceSpan => ({ file, start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } })

/**
 * Read one file, refusing files over `maxBytes` (FILE_TOO_LARGE) and reporting I/O failures
 * (FILE_UNREADABLE). Synchronous: manifests are small, and for thousands of them the
 * promise API's per-call overhead (open, stat, read, close each a thread-pool round trip)
 * cost more than the reads.
 */
export function readSource(file: FoundFile, maxBytes = DEFAULT_MAX_FILE_BYTES, reads?: FileReads): RawSource | Diagnostic {
  try {
    const read = reads ? reads.take(file.absolutePath) : readBounded(file.absolutePath, maxBytes)
    if ('tooLarge' in read) {
      return { code: 'FILE_TOO_LARGE', message: `${file.path} is ${read.tooLarge} bytes, over the ${maxBytes}-byte limit; not scanned`, span: at(file.path), hint: 'raise --max-file-size or add it to .palisadeignore' }
    }
    return { path: file.path, bytes: read.bytes }
  } catch (error) {
    return { code: 'FILE_UNREADABLE', message: `cannot read ${file.path}: ${describeError(error)}`, span: at(file.path) }
  }
}

/** A file's bytes, or its size when it is over the limit (then it is not read). Throws what the file system throws. */
export function readBounded(absolutePath: string, maxBytes: number): { bytes: Buffer } | { tooLarge: number } {
  const fd = openSync(absolutePath, 'r')
  try {
    const { size } = fstatSync(fd)
    return size > maxBytes ? { tooLarge: size } : { bytes: readFileSync(fd) }
  } finally {
    closeSync(fd)
  }
}

/**
 * The files of one scan, each read once: the GitOps inventory reads every YAML file to
 * look for Argo CD and Flux objects, and the manifest reader then needs the same bytes.
 * A file is kept from its first read until it is taken; failures are kept and rethrown.
 */
export class FileReads {
  readonly #kept = new Map<string, { bytes: Buffer } | { tooLarge: number } | { error: unknown }>()
  constructor(readonly maxBytes: number) {}

  /** The bytes (or the size, over the limit), kept for a later take. */
  read(absolutePath: string): { bytes: Buffer } | { tooLarge: number } {
    let kept = this.#kept.get(absolutePath)
    if (kept === undefined) {
      try {
        kept = readBounded(absolutePath, this.maxBytes)
      } catch (error) {
        kept = { error }
      }
      this.#kept.set(absolutePath, kept)
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

/** Read everything from a stream (stdin for `palisade scan -`). */
export async function readStream(stream: AsyncIterable<Uint8Array | string>, name = '<stdin>'): Promise<RawSource> {
  const chunks: Uint8Array[] = []
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk)
  return { path: name, bytes: Buffer.concat(chunks) }
}
