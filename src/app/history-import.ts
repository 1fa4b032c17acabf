import path from 'node:path'
import { ToolError } from '../core/index.js'
import { createResolver, type PalisadeConfig } from '../config/index.js'
import { deploymentsFrom, type Store } from '../store/index.js'
import { checkOutTree } from '../git/index.js'
import { environmentFromLayout } from '../gitops/index.js'
import { listHistory, readHistory, type ListedCommit } from './history-git.js'
import { DEFAULT_MAX_HISTORY_COMMITS, historyWindow } from './history-window.js'
import type { AppIo } from './io.js'
import { recordScanOutcome } from './record-scan.js'
import { runOrigin } from './run-origin.js'
import { runScan, type ScanOptions } from './scan.js'

/** What `history import` replays and how each commit is scanned. */
export interface HistoryImportOptions {
  /** Folders and files inside each commit, relative to the repository's top. */
  paths: readonly string[]
  /** Only commits whose committer date is at or after this (each judged by its own date). */
  since?: Date
  /** Scan at most this many commits, the newest not yet recorded (default DEFAULT_MAX_HISTORY_COMMITS). */
  maxCommits?: number
  /** Ref to replay (default HEAD, recorded under the current branch's name). */
  ref?: string
  /** How each commit is scanned (policies, render, config, ...); paths are set per commit. */
  scan: Omit<ScanOptions, 'paths'>
  /** The configuration of today's checkout: environment paths for deployments, the revert window. */
  config: PalisadeConfig
  toolVersion: string
  /** Told once what the import will do, before the first scan. */
  onPlan?: (plan: HistoryPlan) => void
  onCommit?: (index: number, total: number, sha: string, at: Date) => void
  /** A commit dated (committed or authored) after the import's clock: recorded at the import's time instead. */
  onFutureDate?: (sha: string, claimed: Date) => void
}

/** What an import is about to do. */
export interface HistoryPlan {
  /** Commits in the --since window (the whole first-parent history without it). */
  inWindow: number
  /** Of those, recorded by an earlier run (skipped). */
  recorded: number
  /** Of those, scanned now. */
  toScan: number
  /** Of those, cut by the bound (older than the scanned ones), oldest first: none is left out silently. */
  notImported: ListedCommit[]
  maxCommits: number
}

/** What an import did. */
export interface HistoryImport {
  repo: string
  ref: string
  /** Commits in the --since window. */
  commits: number
  recorded: number
  /** Commits of the window cut by --max-commits (neither scanned nor recorded before). */
  notImported: number
  deployments: number
}

/**
 * `palisade history import` as a use case: each first-parent commit not yet recorded (the
 * newest `maxCommits` of them; the plan names what the bound cuts) is checked out (a
 * private index, no worktree registered) into a temporary folder, scanned as it was (its
 * own palisade.yaml), and recorded as a run at its commit time (the import's time when the
 * commit claims a later one); then every
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
  const listed = await listHistory(origin.root, options.ref ?? 'HEAD')
  const done = await store.recordedCommits(origin.repo, ref)
  const maxCommits = options.maxCommits ?? DEFAULT_MAX_HISTORY_COMMITS
  const window = historyWindow(listed, {
    ...(options.since ? { since: options.since } : {}),
    max: maxCommits,
    recorded: done,
  })
  options.onPlan?.({
    inWindow: window.inWindow.size,
    recorded: window.inWindow.size - window.toScan.length - window.notImported.length,
    toScan: window.toScan.length,
    notImported: window.notImported,
    maxCommits,
  })
  // Read in full from the oldest commit scanned to the tip listed (its hash: a ref moved since is not followed).
  const tip = listed[listed.length - 1]?.sha
  const read = window.readCount === 0 || tip === undefined ? [] : await readHistory(origin.root, tip, window.readCount)
  const now = io.now()
  // A run dated in the future would stay the latest of its ref (stats, lists) until that date:
  // such a commit (and its deployment) is recorded at the import's time, and said so.
  const commits = read
    .filter((c) => window.inWindow.has(c.sha))
    .map((c) => {
      if (c.committedAt.getTime() <= now.getTime() && c.authoredAt.getTime() <= now.getTime()) return c
      options.onFutureDate?.(c.sha, c.committedAt > c.authoredAt ? c.committedAt : c.authoredAt)
      return {
        ...c,
        committedAt: c.committedAt > now ? now : c.committedAt,
        authoredAt: c.authoredAt > now ? now : c.authoredAt,
      }
    })
  const scanning = new Set(window.toScan.map((c) => c.sha))
  // Each commit's place in the listed first-parent history orders the ref's runs: an import of
  // past commits after live scans does not take the head (src/store/ref-heads.ts). A shallow
  // clone's history is cut (no origin position): its runs are ordered by time.
  const positions = new Map(origin.position === undefined ? [] : listed.map((c, i) => [c.sha, i + 1]))
  const scanPaths = options.paths.map((p) => path.relative(origin.root, path.resolve(io.cwd, p)) || '.')
  let recorded = 0
  for (const commit of commits) {
    if (!scanning.has(commit.sha)) continue
    const { tree, remove } = await checkOutTree(origin.root, commit.sha, io.env)
    try {
      const at = { ...io, cwd: tree.dir }
      const started = performance.now()
      const outcome = await runScan({ ...options.scan, paths: scanPaths }, at)
      await recordScanOutcome(
        outcome,
        {
          origin: { repo: origin.repo, ref, commit: commit.sha, root: tree.dir, ...positionOf(positions, commit.sha) },
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
    options.onCommit?.(recorded, scanning.size, commit.sha, commit.committedAt)
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
  const resolver = createResolver(options.config, now)
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
  return {
    repo: origin.repo,
    ref,
    commits: window.inWindow.size,
    recorded,
    notImported: window.notImported.length,
    deployments: deployments.length,
  }
}

function positionOf(positions: ReadonlyMap<string, number>, sha: string): { position?: number } {
  const position = positions.get(sha)
  return position === undefined ? {} : { position }
}
