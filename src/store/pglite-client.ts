import { mkdir } from 'node:fs/promises'
import { setFlagsFromString } from 'node:v8'
import type { PGlite } from '@electric-sql/pglite'
import { ToolError } from '../core/index.js'
import { lockFolder } from './dir-lock.js'
import { startPgliteWorker } from './pglite-worker.js'
import type { Row, SqlClient, SqlQueryable } from './sql-client.js'

/** Options of the embedded engine. */
export interface PgliteOptions {
  /** How long to wait for another process holding the folder (ms). */
  lockWaitMs: number
  pid: number
  /**
   * The process opens the store for one short task (a CLI command) and exits: start
   * PostgreSQL quickly rather than tune it for a long life (see {@link briefStart}).
   */
  brief?: boolean
  /** Run the engine in a worker thread (scan --record: it opens and writes beside the scan). Implies brief. */
  inWorker?: boolean
}

/** The buffer pool of a brief open: PGlite's default (128 MB) is zeroed on every start. */
const BRIEF_SHARED_BUFFERS = '16MB'

let baselineOnly = false

/**
 * A brief open compiles PGlite's 9 MB of WebAssembly with V8's baseline compiler only
 * (Liftoff). By default V8 also recompiles the hot functions with its optimising compiler
 * in background threads: for a command that runs a few queries and exits, that costs
 * more CPU than it saves (measured: open, record 5,570 findings and close took 2.5-3.0 s
 * of CPU, 1.3 s with Liftoff only; docs/store.md). The flag is process-wide and holds
 * for modules compiled after it; PGlite is the only WebAssembly Palisade runs, and a
 * long-lived process (dashboard, serve) never sets it.
 */
function briefStart(): string[] {
  if (!baselineOnly) {
    setFlagsFromString('--liftoff-only')
    baselineOnly = true
  }
  return BRIEF_START_PARAMS
}
const BRIEF_START_PARAMS = ['-c', `shared_buffers=${BRIEF_SHARED_BUFFERS}`]

/**
 * Open (creating it if needed) an embedded PostgreSQL (PGlite, WebAssembly) in a folder.
 * The folder is locked for this process until `close()`.
 */
export async function openPglite(dir: string, options: PgliteOptions): Promise<SqlClient> {
  try {
    await mkdir(dir, { recursive: true })
  } catch (error) {
    throw new ToolError('STORAGE_UNAVAILABLE', `cannot create the store folder ${dir}: ${(error as Error).message}`, {
      cause: error,
    })
  }
  const unlock = await lockFolder(dir, { waitMs: options.lockWaitMs, pid: options.pid })
  if (options.inWorker === true) return inWorker(dir, unlock)
  let db: PGlite
  try {
    // Loaded only when a store is used: PGlite is 27 MB of WebAssembly and data files.
    const { PGlite } = await import('@electric-sql/pglite')
    db = await PGlite.create(
      dir,
      options.brief === true ? { startParams: [...PGlite.defaultStartParams, ...briefStart()] } : {},
    )
  } catch (error) {
    await unlock()
    throw new ToolError(
      'STORAGE_UNAVAILABLE',
      `cannot open the embedded store in ${dir}: ${(error as Error).message}`,
      { cause: error },
    )
  }
  const run = async <R extends object>(
    q: Pick<PGlite, 'query'>,
    sql: string,
    params?: readonly unknown[],
  ): Promise<R[]> => (await q.query<R>(sql, params ? [...params] : undefined)).rows
  const transaction: SqlClient['transaction'] = (fn) =>
    db.transaction((tx) =>
      fn({
        query: (sql, params) => run(tx, sql, params),
        exec: async (sql) => void (await tx.exec(sql)),
      } satisfies SqlQueryable),
    )
  return {
    engine: 'pglite',
    location: dir,
    query: (sql, params) => run(db, sql, params),
    exec: async (sql) => void (await db.exec(sql)),
    transaction,
    batch: (statements) =>
      db.transaction(async (tx) => {
        const results: Row[][] = []
        for (const s of statements) {
          const options = s.blob === undefined ? undefined : { blob: new Blob([s.blob]) }
          results.push((await tx.query<Row>(s.sql, s.params ? [...s.params] : undefined, options)).rows)
        }
        return results
      }),
    async close() {
      try {
        await db.close()
      } finally {
        await unlock()
      }
    },
  }
}

/**
 * The engine in a worker thread. It opens there while this thread goes on (the scan); a
 * failure to open comes back from the first request, as the error a failed open in this
 * thread gives.
 */
async function inWorker(dir: string, unlock: () => Promise<void>): Promise<SqlClient> {
  const openError = (cause: Error): ToolError =>
    new ToolError('STORAGE_UNAVAILABLE', `cannot open the embedded store in ${dir}: ${cause.message}`, { cause })
  let client: SqlClient
  try {
    client = startPgliteWorker(dir, BRIEF_START_PARAMS, openError)
  } catch (error) {
    await unlock()
    throw openError(error as Error)
  }
  return {
    ...client,
    async close() {
      try {
        await client.close()
      } finally {
        await unlock()
      }
    },
  }
}
