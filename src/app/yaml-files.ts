import { readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import {
  isSkippedFolder,
  describeError,
  isRecord,
  objectsOfDocument,
  type Diagnostic,
  type KubeObject,
  type SourceSpan,
} from '../core/index.js'
import { DEFAULT_MAX_FILE_BYTES, readBounded } from '../sources/index.js'
import { decodeSource, parseManifests } from '../yaml/index.js'

/** A parsed document of a YAML file, with the span of its start. */
export interface LoadedDocument {
  object: KubeObject
  file: string
  span: SourceSpan
}

/**
 * Reads YAML files once each (a test suite refers to the same files many times) and
 * returns their Kubernetes documents, `kind: *List` flattened; problems become diagnostics.
 */
export class YamlFiles {
  private readonly cache = new Map<string, { documents: LoadedDocument[] } | { error: Diagnostic }>()
  constructor(private readonly cwd: string) {}

  /** Path as reports show it: relative to the working directory, with forward slashes. */
  display(absolute: string): string {
    const rel = path.relative(this.cwd, absolute)
    return (rel === '' || path.isAbsolute(rel) ? absolute : rel).split(path.sep).join('/')
  }

  /** Documents of a file (or of every YAML file in a folder). */
  load(absolute: string): { documents: LoadedDocument[] } | { error: Diagnostic } {
    const cached = this.cache.get(absolute)
    if (cached) return cached
    const result = this.read(absolute)
    this.cache.set(absolute, result)
    return result
  }

  private read(absolute: string): { documents: LoadedDocument[] } | { error: Diagnostic } {
    const shown = this.display(absolute)
    try {
      if (statSync(absolute).isDirectory()) {
        const documents: LoadedDocument[] = []
        for (const name of readdirSync(absolute).sort()) {
          if (!/\.(ya?ml|json)$/.test(name)) continue
          const r = this.load(path.join(absolute, name))
          if ('error' in r) return r
          documents.push(...r.documents)
        }
        return { documents }
      }
      // Bounded and regular files only: a FIFO or device in a policy or test folder is reported, not opened.
      const read = readBounded(absolute, DEFAULT_MAX_FILE_BYTES)
      if ('tooLarge' in read)
        return {
          error: {
            code: 'FILE_TOO_LARGE',
            message: `${shown} is ${read.tooLarge} bytes, over the ${DEFAULT_MAX_FILE_BYTES}-byte limit; not read`,
          },
        }
      const decoded = decodeSource(read.bytes, shown)
      if ('diagnostic' in decoded) return { error: decoded.diagnostic }
      const parsed = parseManifests(decoded.text, shown)
      if (parsed.diagnostics.length > 0 && parsed.documents.every((d) => !isRecord(d.object)))
        return { error: parsed.diagnostics[0] as Diagnostic }
      const documents: LoadedDocument[] = []
      for (const d of parsed.documents) {
        if (!isRecord(d.object)) continue
        for (const { object, prefix } of objectsOfDocument(d.object as KubeObject))
          documents.push({ object, file: shown, span: d.locate(prefix).span })
      }
      return { documents }
    } catch (error) {
      return { error: { code: 'FILE_UNREADABLE', message: `cannot read ${shown}: ${describeError(error)}` } }
    }
  }
}

/** Every file named `name` below a folder (hidden folders included, node_modules and .git skipped), sorted. */
export function findFiles(root: string, name: string): string[] {
  const out: string[] = []
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (!isSkippedFolder(entry.name)) walk(path.join(dir, entry.name))
      } else if (entry.name === name) {
        out.push(path.join(dir, entry.name))
      }
    }
  }
  if (statSync(root).isDirectory()) walk(root)
  else out.push(root)
  return out.sort()
}
