import path from 'node:path'
import type { Diagnostic } from '../core/index.js'
import type { SourceText } from '../pipeline/index.js'
import { discoverFiles, readSource, readStream, type FileReads, type RawSource } from '../sources/index.js'
import { decodeSource } from '../yaml/index.js'
import type { AppIo } from './io.js'

/**
 * Read every manifest under the given paths (`-` = stdin) as decoded text. Unreadable,
 * binary, non-UTF-8 and oversized files become diagnostics; the rest are returned.
 */
export async function loadSources(
  paths: readonly string[],
  io: AppIo,
  options: {
    maxFileBytes: number
    onProgress?: (done: number, total: number) => void
    /** Absolute paths not to read: files already scanned as part of a rendered chart, overlay or application. */
    skip?: ReadonlySet<string>
    /** Files the GitOps inventory already read (their bytes are taken from here). */
    reads?: FileReads
  },
): Promise<{ sources: SourceText[]; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = []
  const raws: RawSource[] = []
  const fileArgs = paths.filter((p) => p !== '-')
  if (paths.includes('-')) {
    const stdin = await readStream(io.stdin as AsyncIterable<Uint8Array>, '<stdin>', options.maxFileBytes)
    if ('bytes' in stdin) raws.push(stdin)
    else diagnostics.push(stdin)
  }
  const discovered = await discoverFiles(fileArgs, { cwd: io.cwd })
  diagnostics.push(...discovered.diagnostics)
  const found = options.skip
    ? { files: discovered.files.filter((f) => !options.skip?.has(path.resolve(f.absolutePath))) }
    : discovered

  found.files.forEach((file, i) => {
    const read = readSource(file, options.maxFileBytes, options.reads)
    if ('bytes' in read) raws.push(read)
    else diagnostics.push(read)
    options.onProgress?.(i + 1, found.files.length)
  })

  const sources: SourceText[] = []
  for (const raw of raws) {
    const decoded = decodeSource(raw.bytes, raw.path)
    if ('text' in decoded) sources.push({ path: raw.path, text: decoded.text })
    else diagnostics.push(decoded.diagnostic)
  }
  return { sources, diagnostics }
}
