import type { Dirent } from 'node:fs'
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { decodeSourceText, isKubeObject } from './manifest-text.js'
import { withNamespace } from './namespaces.js'
import { anyPathGlob } from './path-glob.js'
import type { RenderEnv, RenderOutput } from './render-env.js'
import type { RenderSpec } from './types.js'

type DirectorySpec = Extract<RenderSpec, { tool: 'directory' }>

/**
 * A plain directory as Argo CD (directory, optionally recursive, with include/exclude
 * globs) or Flux (every manifest below the path) applies it: each YAML/JSON file's
 * objects, placed exactly where they are written.
 */
export async function renderDirectory(spec: DirectorySpec, env: RenderEnv): Promise<RenderOutput> {
  const include = spec.include ? anyPathGlob(braces(spec.include)) : undefined
  const exclude = spec.exclude ? anyPathGlob(braces(spec.exclude)) : undefined
  const out: RenderOutput = { resources: [], diagnostics: [] }
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
        if (spec.recurse && entry.name !== '.git' && entry.name !== 'node_modules') await walk(abs)
        continue
      }
      if (!/\.(ya?ml|json)$/i.test(entry.name) || /^(kustomization\.ya?ml|Chart\.yaml|values.*\.ya?ml)$/.test(entry.name)) continue
      if (include && !include(rel)) continue
      if (exclude?.(rel)) continue
      const text = await env.readText(abs)
      if (text === undefined) continue
      const parsed = decodeSourceText(text, env.display(abs))
      out.diagnostics.push(...parsed.diagnostics)
      for (const document of parsed.documents) {
        if (!isKubeObject(document.object)) continue
        const object = spec.namespace === undefined ? document.object : withNamespace(document.object, spec.namespace, true)
        out.resources.push({ object, file: env.display(abs), document: document.index, prefix: '', locate: (pointer) => document.locate(pointer).span })
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
