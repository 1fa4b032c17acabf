import path from 'node:path'
import { runGit } from '../git/index.js'
import type { AppIo } from './io.js'

/** Where a run comes from: the repository's identity, the ref and the commit. */
export interface RunOrigin {
  repo: string
  ref: string
  commit?: string
  /**
   * The commit's place in its first-parent history (1: the root commit), which orders the
   * runs of a ref (src/store/ref-heads.ts); none in a shallow clone, which cannot count it.
   */
  position?: number
  /** The repository's top folder, that recorded file paths are relative to. */
  root: string
}

/**
 * Identify the scanned repository: its origin URL without credentials (or its folder's
 * name), the ref (CI variables first, then the current branch) and HEAD. A folder that
 * is not in a Git repository is recorded as its name, ref `local`, no commit.
 */
export async function runOrigin(folder: string, env: AppIo['env']): Promise<RunOrigin> {
  const git = async (args: string[]): Promise<string | undefined> => {
    const out = await runGit(args, { cwd: folder, okCodes: [0, 1, 2, 128] })
    return out.code === 0 ? out.stdout.toString('utf8').trim() || undefined : undefined
  }
  const top = await git(['rev-parse', '--show-toplevel'])
  if (top === undefined) return { repo: path.basename(path.resolve(folder)), ref: 'local', root: path.resolve(folder) }
  const remote = await git(['config', '--get', 'remote.origin.url'])
  const branch =
    env.GITHUB_HEAD_REF ||
    env.GITHUB_REF_NAME ||
    env.CI_COMMIT_REF_NAME ||
    (await git(['symbolic-ref', '--short', '-q', 'HEAD'])) ||
    'detached'
  const commit = await git(['rev-parse', '--verify', '-q', 'HEAD'])
  const position = commit === undefined ? undefined : await firstParentPosition(top, commit)
  return {
    repo: remote === undefined ? path.basename(top) : repoIdentity(remote),
    ref: branch,
    ...(commit === undefined ? {} : { commit }),
    ...(position === undefined ? {} : { position }),
    root: top,
  }
}

/**
 * How many commits the first-parent history of `commit` holds, itself included; undefined in
 * a shallow clone (its history is cut: CI checkouts of depth 1 count 1 whatever the commit).
 */
export async function firstParentPosition(top: string, commit: string): Promise<number | undefined> {
  const [shallow, count] = await Promise.all([
    runGit(['rev-parse', '--is-shallow-repository'], { cwd: top, okCodes: [0, 128] }),
    runGit(['rev-list', '--count', '--first-parent', '--end-of-options', commit, '--'], {
      cwd: top,
      okCodes: [0, 128],
    }),
  ])
  if (shallow.code !== 0 || shallow.stdout.toString('utf8').trim() !== 'false' || count.code !== 0) return undefined
  const n = Number(count.stdout.toString('utf8').trim())
  return Number.isSafeInteger(n) && n > 0 ? n : undefined
}

/** `https://user:token@github.com/acme/apps.git`, `git@github.com:acme/apps.git` → `github.com/acme/apps`. */
export function repoIdentity(remote: string): string {
  const scp = /^[^@/]+@([^:/]+):(.+)$/.exec(remote)
  let host: string
  let rest: string
  if (scp) {
    host = scp[1] as string
    rest = scp[2] as string
  } else {
    try {
      const u = new URL(remote)
      host = u.host
      rest = u.pathname
    } catch {
      // Not a URL (a local path remote): its last part names it; no credentials can be in it.
      return path.basename(remote).replace(/\.git$/, '')
    }
  }
  return `${host}/${rest
    .replace(/^\/+/, '')
    .replace(/\.git$/, '')
    .replace(/\/+$/, '')}`
}
