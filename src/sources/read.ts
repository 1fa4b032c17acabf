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
export function readSource(file: FoundFile, maxBytes = DEFAULT_MAX_FILE_BYTES): RawSource | Diagnostic {
  let fd: number | undefined
  try {
    fd = openSync(file.absolutePath, 'r')
    const { size } = fstatSync(fd)
    if (size > maxBytes) {
      return { code: 'FILE_TOO_LARGE', message: `${file.path} is ${size} bytes, over the ${maxBytes}-byte limit; not scanned`, span: at(file.path), hint: 'raise --max-file-size or add it to .palisadeignore' }
    }
    return { path: file.path, bytes: readFileSync(fd) }
  } catch (error) {
    return { code: 'FILE_UNREADABLE', message: `cannot read ${file.path}: ${describeError(error)}`, span: at(file.path) }
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

/** Read everything from a stream (stdin for `palisade scan -`). */
export async function readStream(stream: AsyncIterable<Uint8Array | string>, name = '<stdin>'): Promise<RawSource> {
  const chunks: Uint8Array[] = []
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk)
  return { path: name, bytes: Buffer.concat(chunks) }
}
