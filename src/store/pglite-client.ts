import { mkdir } from 'node:fs/promises'
import type { PGlite } from '@electric-sql/pglite'
import { ToolError } from '../core/index.js'
import { lockFolder } from './dir-lock.js'
import type { SqlClient, SqlQueryable } from './sql-client.js'

/** Options of the embedded engine. */
export interface PgliteOptions {
  /** How long to wait for another process holding the folder (ms). */
  lockWaitMs: number
  pid: number
}

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
  let db: PGlite
  try {
    // Loaded only when a store is used: PGlite is 27 MB of WebAssembly and data files.
    const { PGlite } = await import('@electric-sql/pglite')
    db = await PGlite.create(dir)
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
  return {
    engine: 'pglite',
    location: dir,
    query: (sql, params) => run(db, sql, params),
    exec: async (sql) => void (await db.exec(sql)),
    transaction: (fn) =>
      db.transaction((tx) =>
        fn({
          query: (sql, params) => run(tx, sql, params),
          exec: async (sql) => void (await tx.exec(sql)),
        } satisfies SqlQueryable),
      ),
    async close() {
      try {
        await db.close()
      } finally {
        await unlock()
      }
    },
  }
}
