import path from 'node:path'
import { ToolError } from '../core/index.js'
import { gitText, runGit } from './git-process.js'
import { parseBatchOutput, parseTreeListing, type GitObject, type TreeEntry } from './object-format.js'

/** A Git working copy as Palisade needs it. */
export interface Repository {
  /** Absolute path of the top of the working tree. */
  root: string
  /** The folder the command runs in (absolute). */
  cwd: string
}

/** Find the repository that holds `cwd`; GIT_FAILED with a hint when there is none. */
export async function openRepository(cwd: string): Promise<Repository> {
  let up: string
  try {
    // --show-cdup (not --show-toplevel) keeps the root in the same form as cwd when a symlink leads there.
    up = (await gitText(['rev-parse', '--show-cdup'], cwd)).trim()
  } catch (error) {
    throw new ToolError('GIT_FAILED', `${cwd} is not inside a Git working tree`, {
      cause: error,
      hint: 'run the command inside a clone, or pass a folder that is one',
    })
  }
  return { root: path.resolve(cwd, up), cwd }
}

/** The folder git runs hooks from (honours core.hooksPath), absolute. */
export async function hooksDir(repo: Repository): Promise<string> {
  const dir = (await gitText(['rev-parse', '--git-path', 'hooks'], repo.cwd)).trim()
  return path.resolve(repo.cwd, dir)
}

/** Resolve a revision to a full commit hash; GIT_FAILED naming the ref when it does not exist. */
export async function resolveCommit(repo: Repository, ref: string): Promise<string> {
  const { stdout, code } = await runGit(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], {
    cwd: repo.cwd,
    okCodes: [0, 1],
  })
  if (code !== 0)
    throw new ToolError('GIT_FAILED', `unknown revision "${ref}"`, {
      hint: 'fetch it first (CI checkouts are often shallow: fetch-depth: 0)',
    })
  return stdout.toString('utf8').trim()
}

/**
 * The commits of a range (`A..B`, `A...B`, a single ref = its whole history), oldest first.
 * Parsed by git itself (`rev-list`), so every range syntax git knows works.
 */
export async function listCommits(repo: Repository, range: string): Promise<string[]> {
  const text = await gitText(['rev-list', '--reverse', '--end-of-options', range], repo.cwd)
  return text.split('\n').filter((l) => l !== '')
}

/**
 * Read objects in one `git cat-file --batch` process. Each request is an object id or
 * `<rev>:<path>`; the answer is in request order, undefined where git has no such object.
 */
export async function readObjects(repo: Repository, requests: readonly string[]): Promise<(GitObject | undefined)[]> {
  if (requests.length === 0) return []
  for (const r of requests)
    if (r.includes('\n')) throw new ToolError('INTERNAL', `object request with a newline: ${JSON.stringify(r)}`)
  const { stdout } = await runGit(['cat-file', '--batch'], {
    cwd: repo.cwd,
    input: requests.map((id) => `${id}\n`).join(''),
  })
  return parseBatchOutput(stdout)
}

/** Every file of a commit's tree (recursively), paths relative to the repository root. */
export async function listTree(repo: Repository, commit: string): Promise<TreeEntry[]> {
  const { stdout } = await runGit(['ls-tree', '-r', '-z', '--full-tree', '--end-of-options', commit], { cwd: repo.cwd })
  return parseTreeListing(stdout)
}

/**
 * Stage-0 entries of the index (what `git commit` would record), as tree entries.
 * Conflicted paths (stages 1-3) are left out: they cannot be committed as they are.
 */
export async function listIndex(repo: Repository): Promise<TreeEntry[]> {
  const { stdout } = await runGit(['ls-files', '--stage', '-z', '--full-name'], { cwd: repo.root })
  const entries: TreeEntry[] = []
  for (const record of stdout.toString('utf8').split('\0')) {
    // <mode> SP <object> SP <stage> TAB <path>
    const match = /^(\d+) ([0-9a-f]+) (\d)\t(.+)$/s.exec(record)
    if (!match || match[3] !== '0') continue
    const mode = match[1] as string
    entries.push({
      mode,
      type: mode === '160000' ? 'commit' : 'blob',
      id: match[2] as string,
      path: match[4] as string,
    })
  }
  return entries
}

/** Paths staged for the next commit (added, copied, modified, renamed), relative to the root. */
export async function stagedPaths(repo: Repository): Promise<string[]> {
  const { stdout } = await runGit(['diff', '--cached', '--name-only', '-z', '--no-renames', '--diff-filter=ACMR'], {
    cwd: repo.root,
  })
  return stdout
    .toString('utf8')
    .split('\0')
    .filter((p) => p !== '')
}

/**
 * Paths a commit changed, relative to the root: against its first parent, or against the
 * empty tree for a root commit. Renames count as a deletion and an addition, so both
 * paths are listed.
 */
export async function changedPaths(
  repo: Repository,
  commit: string,
  firstParent: string | undefined,
): Promise<string[]> {
  const args =
    firstParent === undefined
      ? ['diff-tree', '-r', '-z', '--root', '--no-commit-id', '--name-only', '--no-renames', '--end-of-options', commit]
      : ['diff-tree', '-r', '-z', '--name-only', '--no-renames', '--end-of-options', firstParent, commit]
  const { stdout } = await runGit(args, { cwd: repo.cwd })
  return stdout
    .toString('utf8')
    .split('\0')
    .filter((p) => p !== '')
}

/**
 * The unified diff (no context lines) a commit introduced against its first parent,
 * or the whole tree for a root commit. Merges show only what the merge itself changed
 * beyond an automatic merge (`--remerge-diff`), so a secret slipped into a conflict
 * resolution is still seen. Binary files are left out by git.
 */
export async function commitPatch(repo: Repository, commit: string): Promise<string> {
  const { stdout } = await runGit(
    [
      'show',
      '--format=',
      '-U0',
      '--no-color',
      '--no-renames',
      '--no-ext-diff',
      '--no-textconv',
      '--diff-merges=remerge',
      '--end-of-options',
      commit,
    ],
    { cwd: repo.cwd },
  )
  return stdout.toString('utf8')
}
