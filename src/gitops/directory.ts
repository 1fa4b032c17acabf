import { realpathSync, statSync, type Dirent } from 'node:fs'
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { isSkippedFolder, describeError, isInside, notRegularReason, outsideRootMessage } from '../core/index.js'
import { decodeSourceText, isKubeObject } from './manifest-text.js'
import { withNamespace } from './namespaces.js'
import { anyPathGlob } from './path-glob.js'
import type { RenderEnv, RenderOutput } from './render-env.js'
import type { RenderSpec } from './types.js'

type DirectorySpec = Extract<RenderSpec, { tool: 'directory' }>

/**
 * A plain directory as Argo CD (directory, optionally recursive, with include/exclude
 * globs) or Flux (every manifest below the path) applies it: each YAML/JSON file's
 * objects, placed exactly where they are written. Only regular files are read: a symlink
 * is followed only when its real path stays inside the application's folder (else it is
 * reported, naming the link), and a FIFO, socket or device is reported, never opened.
 */
export async function renderDirectory(spec: DirectorySpec, env: RenderEnv): Promise<RenderOutput> {
  const include = spec.include ? anyPathGlob(braces(spec.include)) : undefined
  const exclude = spec.exclude ? anyPathGlob(braces(spec.exclude)) : undefined
  const out: RenderOutput = { resources: [], diagnostics: [] }
  const rootReal = realpathSync.native(spec.dir)
  const skipped = (abs: string, message: string): void => {
    const file = env.display(abs)
    out.diagnostics.push({
      code: 'FILE_UNREADABLE',
      message,
      span: { file, start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } },
    })
  }
  const walk = async (dir: string): Promise<void> => {
    let entries: Dirent[]
    try {
      entries = await readdir(dir, { withFileTypes: true })
    } catch (error) {
      throw new Error(`cannot read ${env.display(dir)}`, { cause: error })
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : 1))
    for (const entry of entries) {
      const abs = path.join(dir, entry.name)
      const rel = path.relative(spec.dir, abs).split(path.sep).join('/')
      if (entry.isDirectory()) {
        if (spec.recurse && !isSkippedFolder(entry.name)) await walk(abs)
        continue
      }
      if (
        !/\.(ya?ml|json)$/i.test(entry.name) ||
        /^(kustomization\.ya?ml|Chart\.yaml|values.*\.ya?ml)$/.test(entry.name)
      )
        continue
      if (include && !include(rel)) continue
      if (exclude?.(rel)) continue
      if (!entry.isFile()) {
        let real: string | undefined
        try {
          const resolved = realpathSync.native(abs)
          real = isInside(rootReal, resolved) ? resolved : undefined
        } catch (error) {
          skipped(abs, `cannot resolve ${env.display(abs)}: ${describeError(error)}`)
          continue
        }
        if (real === undefined) {
          skipped(abs, outsideRootMessage(env.display(abs), env.display(spec.dir)))
          continue
        }
        const reason = notRegularReason(statSync(real))
        if (reason !== undefined) {
          skipped(abs, `${env.display(abs)} is ${reason}`)
          continue
        }
      }
      const text = await env.readText(abs)
      if (text === undefined) continue
      const parsed = decodeSourceText(text, env.display(abs))
      out.diagnostics.push(...parsed.diagnostics)
      for (const document of parsed.documents) {
        if (!isKubeObject(document.object)) continue
        const object =
          spec.namespace === undefined ? document.object : withNamespace(document.object, spec.namespace, true)
        out.resources.push({
          object,
          file: env.display(abs),
          document: document.index,
          prefix: '',
          locate: (pointer) => document.locate(pointer).span,
        })
      }
    }
  }
  await walk(spec.dir)
  return out
}

/** Argo CD include/exclude use `{a,b}` alternatives; picomatch takes a list. */
function braces(glob: string): string[] {
  const m = /^\{(.*)\}$/.exec(glob)
  return m ? (m[1] as string).split(',') : [glob]
}
