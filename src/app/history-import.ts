import path from 'node:path'
import { ToolError } from '../core/index.js'
import { createResolver, type PalisadeConfig } from '../config/index.js'
import { deploymentsFrom, type Store } from '../store/index.js'
import { checkOutTree } from '../git/index.js'
import { environmentFromLayout } from '../gitops/index.js'
import { readHistory } from './history-git.js'
import type { AppIo } from './io.js'
import { recordScanOutcome } from './record-scan.js'
import { runOrigin } from './run-origin.js'
import { runScan, type ScanOptions } from './scan.js'

/** What `history import` replays and how each commit is scanned. */
export interface HistoryImportOptions {
  /** Folders and files inside each commit, relative to the repository's top. */
  paths: readonly string[]
  since?: Date
  /** Ref to replay (default HEAD, recorded under the current branch's name). */
  ref?: string
  /** How each commit is scanned (policies, render, config, ...); paths are set per commit. */
  scan: Omit<ScanOptions, 'paths'>
  /** The configuration of today's checkout: environment paths for deployments, the revert window. */
  config: PalisadeConfig
  toolVersion: string
  onCommit?: (index: number, total: number, sha: string, at: Date) => void
}

/** What an import did. */
export interface HistoryImport {
  repo: string
  ref: string
  commits: number
  recorded: number
  deployments: number
}

/**
 * `palisade history import` as a use case: each first-parent commit not yet recorded is
 * checked out (a private index, no worktree registered) into a temporary folder, scanned as it
 * was (its own palisade.yaml), and recorded as a run at its commit time; then every
 * commit's signature presence and the deployments (commits to environment paths, failed
 * when reverted within the window) are recorded.
 */
export async function importHistory(options: HistoryImportOptions, store: Store, io: AppIo): Promise<HistoryImport> {
  const origin = await runOrigin(io.cwd, io.env)
  if (origin.commit === undefined)
    throw new ToolError('USAGE', `${io.cwd} is not in a Git repository with commits`, {
      hint: 'run history import inside the repository',
    })
  const ref = options.ref ?? origin.ref
  const commits = await readHistory(origin.root, options.ref ?? 'HEAD', options.since)
  const scanPaths = options.paths.map((p) => path.relative(origin.root, path.resolve(io.cwd, p)) || '.')
  const done = await store.recordedCommits(origin.repo, ref)
  let recorded = 0
  for (const [i, commit] of commits.entries()) {
    if (done.has(commit.sha)) continue
    const { tree, remove } = await checkOutTree(origin.root, commit.sha, io.env)
    try {
      const at = { ...io, cwd: tree.dir }
      const started = performance.now()
      const outcome = await runScan({ ...options.scan, paths: scanPaths }, at)
      await recordScanOutcome(
        outcome,
        {
          origin: { repo: origin.repo, ref, commit: commit.sha, root: tree.dir },
          startedAt: commit.committedAt,
          durationMs: performance.now() - started,
          toolVersion: options.toolVersion,
          source: 'history',
        },
        store,
        at,
      )
    } finally {
      await remove()
    }
    recorded++
    options.onCommit?.(i + 1, commits.length, commit.sha, commit.committedAt)
  }
  await store.recordCommits(
    commits.map((c) => ({
      repo: origin.repo,
      sha: c.sha,
      committedAt: c.committedAt,
      author: c.author,
      signed: c.signed,
      verdict: c.signed ? 'signed' : 'unsigned',
    })),
  )
  const resolver = createResolver(options.config, io.now())
  const names = options.config.environments.map((e) => e.name)
  // Paths from git are relative to the repository's top; the resolver's globs to the working folder.
  // Else the layout (envs/prod, overlays/staging), as scan and the pre-commit hook place a file.
  const environmentOf = (file: string): string | undefined =>
    resolver.environmentForFile(path.relative(io.cwd, path.join(origin.root, file))) ??
    environmentFromLayout(file, names)?.environment
  const deployments = deploymentsFrom(origin.repo, commits, environmentOf, options.config.store?.revertWindowDays ?? 7)
  await store.recordDeployments(deployments)
  // Many runs at once: the statistics stats plans on are stale (an embedded store has no autovacuum).
  if (recorded > 0) await store.maintain()
  return { repo: origin.repo, ref, commits: commits.length, recorded, deployments: deployments.length }
}
