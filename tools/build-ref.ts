/**
 * Build a Git ref of this repository in a temporary folder, for tools that compare a
 * build with another (compare:reports, bench --vs). `git archive`, not `git worktree add`:
 * nothing is registered in the .git that every worktree shares, nothing to prune if killed.
 * node_modules and .tools are the caller's (symlinked) when the ref has the same
 * package-lock.json and tool installer; otherwise `npm ci` runs there (offline first).
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, symlinkSync } from 'node:fs'
import path from 'node:path'

export class BuildRefError extends Error {}

function git(root: string, args: string[]): string {
  const r = spawnSync('git', args, { cwd: root, encoding: 'utf8' })
  if (r.status !== 0) throw new BuildRefError(`git ${args.join(' ')} failed: ${r.stderr.trim()}`)
  return r.stdout.trim()
}

function run(cmd: string, args: string[], cwd: string, what: string): void {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  if (r.status !== 0) throw new BuildRefError(`${what} failed (exit ${r.status}):\n${r.stderr.slice(-2000)}`)
}

/** Extract `ref` of the repository at `root` into `tmp` and build it; throws BuildRefError. */
export function buildRef(root: string, ref: string, tmp: string): { checkout: string; sha: string; how: string } {
  const sha = git(root, ['rev-parse', '--verify', `${ref}^{commit}`])
  const checkout = path.join(tmp, sha.slice(0, 12))
  mkdirSync(checkout)
  const archive = spawnSync('sh', ['-c', 'git archive --format=tar "$1" | tar -x -C "$2"', 'sh', sha, checkout], {
    cwd: root,
    encoding: 'utf8',
  })
  if (archive.status !== 0) throw new BuildRefError(`git archive ${ref} failed: ${archive.stderr}`)
  const sameFile = (file: string): boolean =>
    spawnSync('git', ['diff', '--quiet', sha, '--', file], { cwd: root }).status === 0
  const reuse =
    ['package-lock.json', 'tools/install-tools.ts', 'tools/tool-checksums.txt'].every(sameFile) &&
    existsSync(path.join(root, 'node_modules')) &&
    existsSync(path.join(root, '.tools'))
  if (reuse) {
    symlinkSync(path.join(root, 'node_modules'), path.join(checkout, 'node_modules'))
    symlinkSync(path.join(root, '.tools'), path.join(checkout, '.tools'))
    run('npm', ['run', 'build'], checkout, `npm run build at ${ref}`)
    return { checkout, sha, how: 'node_modules and .tools symlinked, npm run build' }
  }
  run('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], checkout, `npm ci at ${ref}`)
  return { checkout, sha, how: 'npm ci (dependencies or tools differ from the head)' }
}
