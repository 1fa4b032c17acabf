import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { runGit } from './git-process.js'

/** A commit's tree written to a scratch folder, standing in for the repository at `repoRoot`. */
export interface CheckedOutTree {
  dir: string
  repoRoot: string
}

/**
 * Write a commit's tree into a scratch folder without touching the repository's index or
 * working tree (`git read-tree` and `git checkout-index` with a private GIT_INDEX_FILE),
 * so charts and overlays can be rendered as they were at that commit. The folder is named
 * like the repository's, as the folder-name match of Argo CD and Flux sources expects.
 * `env` is the environment git runs in (the caller's), to which the private index is added.
 */
export async function checkOutTree(
  repoRoot: string,
  commit: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<{ tree: CheckedOutTree; remove(): Promise<void> }> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'palisade-base-'))
  const dir = path.join(scratch, path.basename(repoRoot))
  const gitEnv = { ...env, GIT_INDEX_FILE: path.join(scratch, 'index') }
  try {
    await runGit(['read-tree', '--end-of-options', commit], { cwd: repoRoot, env: gitEnv })
    await runGit(['checkout-index', '--all', `--prefix=${dir}${path.sep}`], { cwd: repoRoot, env: gitEnv })
  } catch (error) {
    await rm(scratch, { recursive: true, force: true })
    throw error
  }
  return { tree: { dir, repoRoot }, remove: () => rm(scratch, { recursive: true, force: true }) }
}
