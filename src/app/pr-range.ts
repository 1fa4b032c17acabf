import { ToolError } from '../core/index.js'
import { parseRevisionRange, resolveCommit, type Repository } from '../git/index.js'

/** A pull-request gate's range, checked and resolved. */
export interface PrRange {
  /** For `git rev-list`: commit ids only (`<base>..<head>`, or one id for a whole history). */
  revList: string
  /** The base as given (checked): where trusted signers are read; undefined for a whole history. */
  base?: string
  /** The resolved commit ids: the tip, and the base when there is one. */
  headId: string
  baseId?: string
}

/**
 * What CI systems pass as the commits of a pull request, checked (parseRevisionRange: no
 * option-like or hostile text reaches git) and resolved with `git rev-parse --verify
 * --end-of-options`; an unknown revision is a usage error (exit 2).
 *
 * - `A..B`: the commits B has that A lacks.
 * - `A...B`: the same commits, as code hosts show a pull request (B's side of the fork
 *   point); git's symmetric difference would add A's own newer commits, which are not the
 *   pull request's.
 * - a single REF (origin/main, a SHA, HEAD~3): REF...HEAD. A REF at HEAD's own commit
 *   (`HEAD`, or a push build of the target branch) keeps its old meaning: every commit
 *   reachable from it, with no base.
 */
export async function resolvePrRange(repo: Repository, text: string, what: string): Promise<PrRange> {
  const range = parseRevisionRange(text, what)
  const resolve = async (rev: string): Promise<string> => {
    try {
      return await resolveCommit(repo, rev)
    } catch (error) {
      if (!(error instanceof ToolError && error.code === 'GIT_FAILED')) throw error
      throw new ToolError('USAGE', `${what}: unknown revision "${rev}" in ${repo.root}`, {
        cause: error,
        hint: error.details.hint ?? 'fetch it first',
      })
    }
  }
  const base = await resolve(range.base)
  const head = await resolve(range.head ?? 'HEAD')
  if (range.form === 'single' && base === head) return { revList: head, headId: head }
  return { revList: `${base}..${head}`, base: range.base, headId: head, baseId: base }
}
