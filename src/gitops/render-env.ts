import { readFile } from 'node:fs/promises'
import type { Diagnostic, SourceSpan } from '../core/index.js'
import type { RenderTools } from './tools.js'
import type { RenderedResource } from './types.js'

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
  timeoutMs: number
}

/** What one render produced: objects without environment (targets add theirs), or why it failed. */
export interface RenderOutput {
  resources: Omit<RenderedResource, 'environment'>[]
  diagnostics: Diagnostic[]
  /** Set when nothing could be rendered: the reason, for the source report. */
  failure?: string
}

/** A render environment reading files from disk. */
export function createRenderEnv(tools: RenderTools, scratch: string, display: (abs: string) => string, timeoutMs = 120_000): RenderEnv {
  const cache = new Map<string, Promise<string | undefined>>()
  const texts = new Map<string, string>()
  return {
    tools,
    scratch,
    display,
    texts,
    timeoutMs,
    readText(abs) {
      let p = cache.get(abs)
      if (!p) {
        p = readFile(abs, 'utf8').then(
          (text) => {
            texts.set(display(abs), text)
            return text
          },
          (error: unknown) => {
            if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'EISDIR') return undefined
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
