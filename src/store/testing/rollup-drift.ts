import { ROLLUP_SOURCES } from '../rollups.js'
import type { SqlQueryable } from '../sql-client.js'

/**
 * Rows in which each rollup differs from what the history says it should hold (rows in one
 * and not the other, both ways): all zero when recording kept them exact.
 */
export async function rollupDrift(db: SqlQueryable): Promise<Record<string, number>> {
  const drift: Record<string, number> = {}
  for (const s of ROLLUP_SOURCES) {
    const kept = `SELECT ${s.columns} FROM ${s.table}`
    const [row] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ((${kept} EXCEPT ALL ${s.select}) UNION ALL (${s.select} EXCEPT ALL ${kept})) d`,
    )
    drift[s.table] = Number(row?.n)
  }
  return drift
}

/** The drift of a consistent store, for `toEqual`. */
export const NO_DRIFT: Record<string, number> = Object.fromEntries(ROLLUP_SOURCES.map((s) => [s.table, 0]))
