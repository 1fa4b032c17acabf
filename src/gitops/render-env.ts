import { readFile, realpath } from 'node:fs/promises'
import path from 'node:path'
import type { Diagnostic, LocatedResource, SourceSpan } from '../core/index.js'
import type { Confinement } from './exec.js'
import type { FileCheck } from './types.js'
import { createRepoView, isInside, type RepoView } from './repo-view.js'
import type { RenderTools } from './tools.js'

/** What renderers share: tools, a scratch folder, and file reads cached for code frames. */
export interface RenderEnv {
  tools: RenderTools
  /** Scratch folder for wrapper kustomizations and inline values; removed by the caller. */
  scratch: string
  display(abs: string): string
  /** Read a repository file once; undefined when it cannot be read. */
  readText(abs: string): Promise<string | undefined>
  /** Display path → text of every file read, for code frames. */
  readonly texts: Map<string, string>
  /** How every renderer is run (environment, network, limits). */
  confinement: Confinement
  /**
   * The copy of the repository (scan root, or configured chart mirror) holding `abs`, made
   * on first use: renderers run on it, never on the repository itself.
   */
  viewOf(abs: string): Promise<RepoView>
  /** Removed links below `dir` not reported yet, as render errors (each reported once per scan). */
  removedBelow(view: RepoView, dir: string): Diagnostic[]
  /** Kustomization files checked (and rewritten in the copy) for remote entries, by path. */
  readonly overlayChecks: Map<string, Promise<FileCheck>>
}

/** What one render produced: objects without environment (targets add theirs), or why it failed. */
export interface RenderOutput {
  resources: Omit<LocatedResource, 'environment'>[]
  diagnostics: Diagnostic[]
  /** Set when nothing could be rendered: the reason, for the source report. */
  failure?: string
  /** What was left out of a render that succeeded (remote entries not fetched), for the source report. */
  notes?: string[]
}

/**
 * A render environment reading files from disk, only inside `roots` (the scanned folders and
 * chart mirrors): a file whose real path leaves them reads as absent.
 */
export function createRenderEnv(
  tools: RenderTools,
  scratch: string,
  display: (abs: string) => string,
  confinement: Confinement,
  roots: readonly string[],
): RenderEnv {
  const cache = new Map<string, Promise<string | undefined>>()
  const texts = new Map<string, string>()
  const views = new Map<string, Promise<RepoView>>()
  const realRoots = Promise.all(roots.map((r) => realpath(r).catch(() => path.resolve(r))))
  const reported = new Set<string>()
  const allowed = async (abs: string): Promise<boolean> => {
    const real = await realpath(abs).catch(() => undefined)
    if (real === undefined) return true
    return (await realRoots).some((r) => isInside(r, real))
  }
  return {
    tools,
    scratch,
    display,
    texts,
    confinement,
    overlayChecks: new Map(),
    viewOf(abs) {
      const root = roots.filter((r) => isInside(r, abs)).sort((a, b) => b.length - a.length)[0]
      if (root === undefined)
        return Promise.reject(
          new Error(`${display(abs)} is outside the scanned folders: refused (renderers read only the repository)`),
        )
      let v = views.get(root)
      if (!v) {
        v = createRepoView(root, path.join(scratch, 'view', String(views.size), path.basename(root)))
        views.set(root, v)
      }
      return v
    },
    removedBelow(view, dir) {
      const out: Diagnostic[] = []
      for (const r of view.removed) {
        if (!isInside(dir, r.path) || reported.has(r.path)) continue
        reported.add(r.path)
        const file = display(r.path)
        out.push({
          code: 'RENDER_FAILED',
          severity: 'error',
          message: `${file} is ${r.reason}: not given to the renderer (renderers read only the repository)`,
          span: { file, start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } },
        })
      }
      return out
    },
    readText(abs) {
      let p = cache.get(abs)
      if (!p) {
        p = allowed(abs)
          .then((ok) => (ok ? readFile(abs, 'utf8') : undefined))
          .then(
            (text) => {
              if (text !== undefined) texts.set(display(abs), text)
              return text
            },
            (error: unknown) => {
              if (
                (error as NodeJS.ErrnoException).code === 'ENOENT' ||
                (error as NodeJS.ErrnoException).code === 'EISDIR'
              )
                return undefined
              throw new Error(`cannot read ${display(abs)}`, { cause: error })
            },
          )
        cache.set(abs, p)
      }
      return p
    },
  }
}

/** Span of a whole line (1-based) of a file, from its first non-blank character. */
export function lineSpan(file: string, text: string | undefined, line: number): SourceSpan {
  const lines = (text ?? '').split('\n')
  const index = Math.min(Math.max(line, 1), Math.max(lines.length, 1))
  let offset = 0
  for (let i = 0; i < index - 1; i++) offset += (lines[i] as string).length + 1
  const content = lines[index - 1] ?? ''
  const indent = content.length - content.trimStart().length
  return {
    file,
    start: { line: index, column: indent + 1, offset: offset + indent },
    end: { line: index, column: content.length + 1, offset: offset + content.length },
  }
}
