import path from 'node:path'
import type { Diagnostic } from '../core/index.js'
import type { SourceText } from '../pipeline/index.js'
import { decodeSource } from '../yaml/index.js'
import type { TreeEntry } from './object-format.js'
import { listIndex, listTree, readObjects, type Repository } from './repository.js'
import { selectTreeManifests } from './tree-select.js'

/** Where the files come from: a commit's tree, or the index (what is staged). */
export type TreeOrigin = { commit: string } | { index: true }

/** Options for reading sources from Git objects. */
export interface TreeSourceOptions {
  /** Files and folders as the user gave them (relative to repo.cwd, or absolute). */
  paths: readonly string[]
  maxFileBytes: number
  /** Keep only these paths (relative to the repository root), e.g. the staged ones. */
  only?: ReadonlySet<string>
  /** Take every text file, not only manifests (secret scanning). */
  allFiles?: boolean
}

/**
 * Read the manifests a scan of `paths` would read, from Git objects instead of the disk:
 * a commit's tree (`scan --baseline`) or the index (the pre-commit hook). Nothing is
 * checked out: blobs are read with one `git cat-file --batch`, in memory. File names are
 * shown exactly as a scan of the working tree shows them (relative to the working
 * folder), so findings of both sides line up.
 */
export async function readTreeSources(
  repo: Repository,
  origin: TreeOrigin,
  options: TreeSourceOptions,
): Promise<{ sources: SourceText[]; diagnostics: Diagnostic[] }> {
  const entries = 'commit' in origin ? await listTree(repo, origin.commit) : await listIndex(repo)
  const roots = options.paths.map((p) => toTreePath(repo, p)).filter((p): p is string => p !== undefined)
  const ignoreEntries = entries.filter((e) => path.posix.basename(e.path) === '.palisadeignore')
  const ignoreBlobs = await readObjects(
    repo,
    ignoreEntries.map((e) => e.id),
  )
  const ignoreText = new Map(ignoreEntries.map((e, i) => [e.path, ignoreBlobs[i]?.data.toString('utf8')]))
  let chosen: TreeEntry[] = options.allFiles
    ? entries.filter(
        (e) =>
          e.type === 'blob' &&
          e.mode !== '120000' &&
          roots.some((r) => r === '' || e.path === r || e.path.startsWith(`${r}/`)),
      )
    : selectTreeManifests(entries, roots, (p) => ignoreText.get(p))
  if (options.only) chosen = chosen.filter((e) => options.only?.has(e.path))

  const blobs = await readObjects(
    repo,
    chosen.map((e) => e.id),
  )
  const sources: SourceText[] = []
  const diagnostics: Diagnostic[] = []
  chosen.forEach((entry, i) => {
    const shown = showPath(repo, entry.path)
    const at = { file: shown, start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } }
    const blob = blobs[i]
    if (!blob) {
      diagnostics.push({
        code: 'FILE_UNREADABLE',
        message: `cannot read ${shown} from Git (object ${entry.id} is missing)`,
        span: at,
      })
      return
    }
    if (blob.data.length > options.maxFileBytes) {
      diagnostics.push({
        code: 'FILE_TOO_LARGE',
        message: `${shown} is ${blob.data.length} bytes, over the ${options.maxFileBytes}-byte limit; not scanned`,
        span: at,
        hint: 'raise --max-file-size or add it to .palisadeignore',
      })
      return
    }
    const decoded = decodeSource(blob.data, shown)
    if ('text' in decoded) sources.push({ path: shown, text: decoded.text })
    else if (!options.allFiles) diagnostics.push(decoded.diagnostic)
  })
  return { sources, diagnostics }
}

/** A user path as a path relative to the repository root ('' = the root); undefined outside the repository. */
export function toTreePath(repo: Repository, given: string): string | undefined {
  const rel = path.relative(repo.root, path.resolve(repo.cwd, given))
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined
  return rel.split(path.sep).join('/')
}

/** A repository path as file discovery shows it: relative to the working folder when inside it. */
export function showPath(repo: Repository, treePath: string): string {
  const abs = path.join(repo.root, ...treePath.split('/'))
  const rel = path.relative(repo.cwd, abs)
  return rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel
}
