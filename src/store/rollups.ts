import type { Statement } from './sql-client.js'

/**
 * Summary tables that `palisade stats` (and the dashboard's overview) read instead of the
 * history: a year of 50 repositories is 67,800 finding events and 40,000 lifecycle rows,
 * which PGlite (WebAssembly, baseline code in a brief process) scanned in ~430 ms of the
 * command's CPU. Each is kept by the statements of {@link rollupStatements}, in the
 * transaction that records the run, so a killed writer leaves the rollups as it leaves
 * the runs: unchanged.
 *
 * - `finding_days`: new (opened or reopened) and fixed events per UTC day. A run's events
 *   all happen at its start time, so a run adds to one row: concurrent writers upsert it
 *   (ON CONFLICT ... SET n = n + EXCLUDED.n: the second waits for the first's commit and
 *   adds to its sum, no update is lost).
 * - `fix_times`: fixed events per time, severity and hours to fix, with their number: the
 *   p90 needs the distribution, which no sum keeps, but the findings a run fixes that one
 *   run opened share their time and hours (a year of 50 repositories: 27,800 fixes).
 *   Upserted like the days.
 * - `open_counts`: per repository, ref, policy, environment and severity, the open
 *   findings and the last fix (an open finding was last seen in its ref's head: stats
 *   joins ref_heads). Recomputed for the run's repo + ref, under the advisory lock on that
 *   pair that serialises its writers, and only when the run changed its lifecycle (events,
 *   or findings re-rated or moved): a run that finds what the last one found writes nothing.
 * - `policy_first_seen`: when each policy was first recorded in each environment (a
 *   policy is ready to enforce only after being watched long enough). Only an earlier
 *   time is written, so a run that changes nothing locks no row.
 */
export const ROLLUP_TABLES_SQL = `
CREATE TABLE finding_days (
  day date PRIMARY KEY,
  opened integer NOT NULL,
  fixed integer NOT NULL
);
CREATE TABLE fix_times (
  at timestamptz NOT NULL,
  severity text NOT NULL,
  hours float8 NOT NULL,
  n integer NOT NULL,
  PRIMARY KEY (at, severity, hours)
);
CREATE TABLE open_counts (
  repo text NOT NULL,
  ref text NOT NULL,
  policy text NOT NULL,
  environment text NOT NULL,
  severity text NOT NULL,
  open integer NOT NULL,
  last_fixed_at timestamptz,
  PRIMARY KEY (repo, ref, policy, environment, severity)
);
CREATE TABLE policy_first_seen (
  policy text NOT NULL,
  environment text NOT NULL,
  first_at timestamptz NOT NULL,
  PRIMARY KEY (policy, environment)
);
`

/** Hours from open to fixed of a `fixed` finding event, as stats has always computed them. */
const FIX_HOURS = 'extract(epoch FROM at - open_since)::float8 / 3600'
/** The open count and the last fix of lifecycle rows `l`. */
const OPEN_GROUP = 'count(*) FILTER (WHERE l.fixed_at IS NULL)::int, max(l.fixed_at)'

/**
 * What each rollup holds, computed from the history: migration 4 fills the rollups with
 * it (an existing store gives the same figures after the migration as before), the store
 * benchmark after generating a year in SQL, and the tests compare the rollups with it.
 */
export const ROLLUP_SOURCES: readonly { table: string; columns: string; select: string }[] = [
  {
    table: 'finding_days',
    columns: 'day, opened, fixed',
    select: `SELECT (at AT TIME ZONE 'UTC')::date, count(*) FILTER (WHERE event <> 'fixed')::int, count(*) FILTER (WHERE event = 'fixed')::int
FROM finding_events GROUP BY 1`,
  },
  {
    table: 'fix_times',
    columns: 'at, severity, hours, n',
    select: `SELECT at, severity, ${FIX_HOURS}, count(*)::int FROM finding_events WHERE event = 'fixed' GROUP BY 1, 2, 3`,
  },
  {
    table: 'open_counts',
    columns: 'repo, ref, policy, environment, severity, open, last_fixed_at',
    select: `SELECT l.repo, l.ref, l.policy, l.environment, l.severity, ${OPEN_GROUP}
FROM finding_lifecycle l GROUP BY l.repo, l.ref, l.policy, l.environment, l.severity`,
  },
  {
    table: 'policy_first_seen',
    columns: 'policy, environment, first_at',
    select:
      'SELECT p.policy, p.environment, min(r.started_at) FROM run_policies p JOIN runs r ON r.id = p.run_id GROUP BY 1, 2',
  },
]

/** Fill empty rollups from the history ({@link ROLLUP_SOURCES}). */
export const ROLLUP_BACKFILL_SQL = ROLLUP_SOURCES.map((s) => `INSERT INTO ${s.table} (${s.columns}) ${s.select};`).join(
  '\n',
)

/**
 * A setting local to the run's transaction: how many lifecycle rows the run re-rated or
 * moved (record-run.ts sets it). With no event either, the ref's open counts stand.
 */
export const LIFECYCLE_MOVED = 'palisade.lifecycle_moved'

/**
 * The rollup upkeep of one run, after its lifecycle statements and its ref_heads row, in
 * its transaction. `runId`: the SQL of the run's id; `newest`: the SQL condition that the
 * run is its ref's head (else the lifecycle did not move and open_counts stays); `at`: the
 * SQL of the time its lifecycle events carry (ref-heads.ts); `startedAt`: the run's start. Rows are locked in one order (policies
 * by key, then the day, then its fixes by severity and hours): two writers cannot deadlock on them.
 */
export function rollupStatements(
  runId: string,
  newest: string,
  at: string,
  startedAt: Date,
  repo: string,
  ref: string,
): Statement[] {
  // The run's events are all at one time (finding_events_at): no scan of the history.
  const events = `FROM finding_events WHERE at = ${at} AND run_id = ${runId}`
  const changed = `${newest} AND (current_setting('${LIFECYCLE_MOVED}', true) IS DISTINCT FROM '0'
       OR EXISTS (SELECT 1 ${events}))`
  return [
    // First the ref's own rows (no other writer of the ref runs now), then the rows writers of
    // other repositories share, which stay locked until the commit: held as briefly as can be.
    { sql: `DELETE FROM open_counts WHERE repo = $1 AND ref = $2 AND ${changed}`, params: [repo, ref] },
    {
      sql: `INSERT INTO open_counts (repo, ref, policy, environment, severity, open, last_fixed_at)
     SELECT $1, $2, l.policy, l.environment, l.severity, ${OPEN_GROUP}
     FROM finding_lifecycle l WHERE l.repo = $1 AND l.ref = $2 AND ${changed}
     GROUP BY l.policy, l.environment, l.severity`,
      params: [repo, ref],
    },
    {
      sql: `INSERT INTO policy_first_seen (policy, environment, first_at)
     SELECT p.policy, p.environment, $1 FROM run_policies p
     WHERE p.run_id = ${runId}
       AND NOT EXISTS (SELECT 1 FROM policy_first_seen s WHERE s.policy = p.policy AND s.environment = p.environment AND s.first_at <= $1)
     ORDER BY p.policy, p.environment
     ON CONFLICT (policy, environment) DO UPDATE SET first_at = LEAST(policy_first_seen.first_at, EXCLUDED.first_at)`,
      params: [startedAt],
    },
    {
      sql: `INSERT INTO finding_days (day, opened, fixed)
     SELECT (${at} AT TIME ZONE 'UTC')::date, count(*) FILTER (WHERE event <> 'fixed'), count(*) FILTER (WHERE event = 'fixed')
     ${events} HAVING count(*) > 0
     ON CONFLICT (day) DO UPDATE SET opened = finding_days.opened + EXCLUDED.opened, fixed = finding_days.fixed + EXCLUDED.fixed`,
    },
    {
      sql: `INSERT INTO fix_times (at, severity, hours, n)
     SELECT at, severity, ${FIX_HOURS}, count(*) ${events} AND event = 'fixed' GROUP BY 1, 2, 3 ORDER BY 2, 3
     ON CONFLICT (at, severity, hours) DO UPDATE SET n = fix_times.n + EXCLUDED.n`,
    },
  ]
}
