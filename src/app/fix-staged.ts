import path from 'node:path'
import { openRepository, runGit, stagedPaths } from '../git/index.js'
import type { AppIo } from './io.js'

/**
 * `fix --staged`: the staged YAML files whose working-tree copy is what is staged (a file
 * with unstaged changes is left out, so the fix never mixes them into the commit), as
 * paths relative to the working folder, and `stage(files)` to add the fixed files back to
 * the index. `skipped` names the staged files left out and why.
 */
export async function stagedFixPaths(
  io: AppIo,
): Promise<{ paths: string[]; skipped: string[]; stage(files: readonly string[]): Promise<void> }> {
  const repo = await openRepository(io.cwd)
  const staged = (await stagedPaths(repo)).filter((p) => /\.(ya?ml|json)$/i.test(p))
  const { stdout } = await runGit(['diff', '--name-only', '-z', '--no-renames'], { cwd: repo.root })
  const unstaged = new Set(
    stdout
      .toString('utf8')
      .split('\0')
      .filter((p) => p !== ''),
  )
  const rel = (p: string): string => path.relative(io.cwd, path.join(repo.root, p)) || '.'
  return {
    paths: staged.filter((p) => !unstaged.has(p)).map(rel),
    skipped: staged.filter((p) => unstaged.has(p)).map(rel),
    async stage(files) {
      if (files.length > 0)
        await runGit(['add', '--', ...files.map((f) => path.resolve(io.cwd, f))], { cwd: repo.root })
    },
  }
}
