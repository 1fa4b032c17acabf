import type { Pool, PoolClient } from 'pg'
import { ToolError } from '../core/index.js'
import { runStatements, type SqlClient } from './sql-client.js'

/**
 * Connect to a PostgreSQL server through a small pool (`pg`). The password comes from
 * the URL or libpq's PGPASSWORD; it never appears in `location` or in messages.
 */
export async function openPostgres(url: string): Promise<SqlClient> {
  const location = withoutPassword(url)
  let pool: Pool
  try {
    const pg = await import('pg')
    // The CommonJS module's exports arrive as `default` when imported from ES modules.
    const PoolClass = (pg.default ?? pg).Pool
    pool = new PoolClass({ connectionString: url, max: 4, connectionTimeoutMillis: 10_000 })
    // Errors of idle clients (server restarted) surface on the next query; without a handler they would crash the process.
    pool.on('error', () => undefined)
    const probe = await pool.connect()
    probe.release()
  } catch (error) {
    throw new ToolError(
      'STORAGE_UNAVAILABLE',
      `cannot connect to the PostgreSQL store ${location}: ${redact((error as Error).message, url)}`,
      { cause: error, hint: 'check the URL, that the server runs, and PGPASSWORD' },
    )
  }
  const run = async <R extends object>(
    q: Pool | PoolClient,
    sql: string,
    params?: readonly unknown[],
  ): Promise<R[]> => {
    try {
      return (await q.query(sql, params ? [...params] : undefined)).rows as R[]
    } catch (error) {
      throw new ToolError(
        'STORAGE_UNAVAILABLE',
        `the PostgreSQL store ${location} failed: ${(error as Error).message}`,
        { cause: error },
      )
    }
  }
  const store: SqlClient = {
    engine: 'postgres',
    location,
    query: (sql, params) => run(pool, sql, params),
    exec: async (sql) => void (await run(pool, sql)),
    batch: (statements) => store.transaction((tx) => runStatements(tx, statements)),
    async transaction(fn) {
      const client = await pool.connect()
      try {
        await client.query('BEGIN')
        const result = await fn({
          query: (sql, params) => run(client, sql, params),
          exec: async (sql) => void (await run(client, sql)),
        })
        await client.query('COMMIT')
        return result
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined)
        throw error
      } finally {
        client.release()
      }
    },
    close: () => pool.end(),
  }
  return store
}

/** The URL as it may be shown: user and host, never the password. */
export function withoutPassword(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return 'postgres://(unparsable URL)'
  }
}

function redact(message: string, url: string): string {
  try {
    const password = decodeURIComponent(new URL(url).password)
    return password ? message.split(password).join('***') : message
  } catch {
    return message
  }
}
