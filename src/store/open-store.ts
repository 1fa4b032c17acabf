import path from 'node:path'
import { ToolError } from '../core/index.js'
import { migrate } from './migrations.js'
import { openPglite } from './pglite-client.js'
import { openPostgres } from './postgres-client.js'
import { recordRunBatch } from './record-run.js'
import { HEAD_COMMIT_SQL } from './ref-heads.js'
import { recordAdmission, recordCommits, recordDeployments } from './record-other.js'
import type { AdmissionDecision, CommitRecord, DeploymentRecord, RunOutcome, RunRecord } from './records.js'
import type { SqlClient } from './sql-client.js'

/** The default embedded store folder, relative to the working folder. */
export const DEFAULT_STORE_DIR = '.palisade/store'

/** Where a store is: an embedded folder or a PostgreSQL server. */
export type StoreLocation = { engine: 'pglite'; dir: string } | { engine: 'postgres'; url: string }

/**
 * Decide where the store is: `--store` (a folder or a postgres:// URL) wins, then
 * PALISADE_STORE_URL, then palisade.yaml `store.path`, then .palisade/store.
 */
export function resolveStoreLocation(options: {
  flag?: string
  envUrl?: string
  configPath?: string
  configRoot?: string
  cwd: string
}): StoreLocation {
  const given = options.flag ?? options.envUrl
  if (given !== undefined && given !== '') {
    if (/^postgres(ql)?:\/\//i.test(given)) return { engine: 'postgres', url: given }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(given))
      throw new ToolError('USAGE', `unsupported store URL scheme in "${given.replace(/:\/\/.*/, '://...')}"`, {
        hint: 'use a folder or postgres://user@host:port/db',
      })
    return { engine: 'pglite', dir: path.resolve(options.cwd, given) }
  }
  if (options.configPath !== undefined)
    return { engine: 'pglite', dir: path.resolve(options.configRoot ?? options.cwd, options.configPath) }
  return { engine: 'pglite', dir: path.resolve(options.cwd, DEFAULT_STORE_DIR) }
}

/** The findings store: recording and the raw SQL client the statistics read through. */
export interface Store {
  readonly client: SqlClient
  /** Record a scan in one transaction (run, findings, waivers, lifecycle). */
  recordRun(run: RunRecord): Promise<RunOutcome>
  recordCommits(commits: readonly CommitRecord[]): Promise<void>
  recordDeployments(deployments: readonly DeploymentRecord[]): Promise<void>
  /** Record admission decisions and drop what is older than the retention. */
  recordAdmission(decisions: readonly AdmissionDecision[], retention: { days: number; now: Date }): Promise<void>
  /**
   * What autovacuum does on a server, for the embedded engine (it has none): refresh the
   * planner's statistics and reclaim dead row versions. Nothing on PostgreSQL.
   */
  maintain(): Promise<void>
  /** Commits of this repo + ref that already have a run. */
  recordedCommits(repo: string, ref: string): Promise<Set<string>>
  /** The latest run of a repo + ref (ref-heads.ts) and its commit; undefined before its first run. */
  refHead(repo: string, ref: string): Promise<{ runId: number; commit?: string } | undefined>
  close(): Promise<void>
}

/**
 * Open a store and bring its schema up to date.
 *
 * @example
 * const store = await openStore({ engine: 'pglite', dir: '.palisade/store' }, { pid: process.pid })
 * try { await store.recordRun(run) } finally { await store.close() }
 */
export async function openStore(
  location: StoreLocation,
  options: {
    pid: number
    lockWaitMs?: number
    /** One short task, then the process exits (a CLI command; not dashboard or serve): start fast. */
    brief?: boolean
    /** The embedded engine runs in a worker thread (implies brief): scan --record opens it beside the scan. */
    inWorker?: boolean
  },
): Promise<Store> {
  const client =
    location.engine === 'postgres'
      ? await openPostgres(location.url)
      : await openPglite(location.dir, {
          pid: options.pid,
          lockWaitMs: options.lockWaitMs ?? 120_000,
          ...(options.brief === true ? { brief: true } : {}),
          ...(options.inWorker === true ? { inWorker: true } : {}),
        })
  try {
    await migrate(client)
  } catch (error) {
    await client.close()
    throw error instanceof ToolError
      ? error
      : new ToolError(
          'STORAGE_UNAVAILABLE',
          `cannot update the schema of the store ${client.location}: ${(error as Error).message}`,
          { cause: error },
        )
  }
  return storeOver(client)
}

/**
 * An embedded store is maintained after every this many runs (any repository): PGlite has
 * no autovacuum, so without it the planner never gets statistics and dead row versions
 * that HOT pruning leaves (fixed and reopened findings) are never reclaimed. VACUUM
 * ANALYZE of a year of 50 repositories takes 1-2 s, so not on every run.
 */
export const MAINTAIN_EVERY_RUNS = 20

async function maintain(client: SqlClient): Promise<void> {
  if (client.engine !== 'pglite') return
  // Outside any transaction (VACUUM refuses to run in one).
  await client.exec('VACUUM ANALYZE')
}

/** A store over an open, migrated client. */
export function storeOver(client: SqlClient): Store {
  return {
    client,
    async recordRun(run) {
      const outcome = await recordRunBatch(client, run)
      if (outcome.runId % MAINTAIN_EVERY_RUNS === 0) await maintain(client)
      return outcome
    },
    maintain: () => maintain(client),
    recordCommits: (commits) => client.transaction((tx) => recordCommits(tx, commits)),
    recordDeployments: (deployments) => client.transaction((tx) => recordDeployments(tx, deployments)),
    recordAdmission: (decisions, retention) => client.transaction((tx) => recordAdmission(tx, decisions, retention)),
    async recordedCommits(repo, ref) {
      const rows = await client.query<{ sha: string }>(
        'SELECT DISTINCT commit_sha AS sha FROM runs WHERE repo = $1 AND ref = $2 AND commit_sha IS NOT NULL',
        [repo, ref],
      )
      return new Set(rows.map((r) => r.sha))
    },
    async refHead(repo, ref) {
      const row = (await client.query<{ run_id: number; commit_sha: string | null }>(HEAD_COMMIT_SQL, [repo, ref]))[0]
      if (row === undefined) return undefined
      return { runId: Number(row.run_id), ...(row.commit_sha === null ? {} : { commit: row.commit_sha }) }
    },
    close: () => client.close(),
  }
}
