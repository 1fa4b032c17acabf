import { ToolError } from '../core/index.js'
import { POSITION_SQL } from './ref-heads.js'
import { ROLLUP_BACKFILL_SQL, ROLLUP_TABLES_SQL } from './rollups.js'
import type { Row, SqlClient } from './sql-client.js'

/** One schema change. Migrations add (tables, columns, indexes) and never drop or rewrite data (an unused index may go). */
export interface Migration {
  version: number
  name: string
  sql: string
}

/**
 * The schema, in order. docs/store.md describes each table; issue 17 (compliance evidence)
 * builds on runs, findings, waivers, commits and admission. Append, never edit a shipped one.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'runs, findings, lifecycle, waivers, commits, admission, deployments',
    sql: `
CREATE TABLE runs (
  id bigserial PRIMARY KEY,
  repo text NOT NULL,
  ref text NOT NULL,
  commit_sha text,
  started_at timestamptz NOT NULL,
  duration_ms integer NOT NULL,
  tool_version text NOT NULL,
  policy_digest text NOT NULL,
  environments text[] NOT NULL DEFAULT '{}',
  source text NOT NULL,
  findings integer NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX runs_repo_ref ON runs (repo, ref, started_at);

CREATE TABLE findings (
  run_id bigint NOT NULL REFERENCES runs (id),
  fingerprint text NOT NULL,
  environment text NOT NULL DEFAULT '',
  policy text NOT NULL,
  severity text NOT NULL,
  action text NOT NULL,
  status text NOT NULL,
  message text NOT NULL,
  kind text,
  namespace text,
  name text,
  file text,
  line integer,
  waived boolean NOT NULL DEFAULT false,
  PRIMARY KEY (run_id, fingerprint, environment)
);
CREATE INDEX findings_policy ON findings (policy, environment);

CREATE TABLE waivers (
  run_id bigint NOT NULL REFERENCES runs (id),
  policy text NOT NULL,
  source text NOT NULL,
  reason text NOT NULL,
  owner text,
  expires date,
  findings integer NOT NULL,
  PRIMARY KEY (run_id, policy, source, reason)
);

CREATE TABLE run_policies (
  run_id bigint NOT NULL REFERENCES runs (id),
  policy text NOT NULL,
  environment text NOT NULL DEFAULT '',
  action text NOT NULL,
  PRIMARY KEY (run_id, policy, environment)
);

CREATE TABLE finding_lifecycle (
  repo text NOT NULL,
  ref text NOT NULL,
  fingerprint text NOT NULL,
  environment text NOT NULL DEFAULT '',
  policy text NOT NULL,
  severity text NOT NULL,
  first_seen_at timestamptz NOT NULL,
  first_seen_run bigint NOT NULL REFERENCES runs (id),
  open_since timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  last_seen_run bigint NOT NULL REFERENCES runs (id),
  fixed_at timestamptz,
  fixed_run bigint REFERENCES runs (id),
  reopened integer NOT NULL DEFAULT 0,
  file text,
  line integer,
  PRIMARY KEY (repo, ref, fingerprint, environment)
);
CREATE INDEX finding_lifecycle_open ON finding_lifecycle (fixed_at);

CREATE TABLE finding_events (
  id bigserial PRIMARY KEY,
  repo text NOT NULL,
  ref text NOT NULL,
  fingerprint text NOT NULL,
  environment text NOT NULL DEFAULT '',
  policy text NOT NULL,
  severity text NOT NULL,
  event text NOT NULL CHECK (event IN ('opened', 'fixed', 'reopened')),
  at timestamptz NOT NULL,
  run_id bigint NOT NULL REFERENCES runs (id),
  open_since timestamptz
);
CREATE INDEX finding_events_at ON finding_events (at);

CREATE TABLE commits (
  repo text NOT NULL,
  sha text NOT NULL,
  committed_at timestamptz,
  author text,
  signer text,
  signed boolean NOT NULL,
  verdict text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (repo, sha)
);
CREATE INDEX commits_at ON commits (committed_at);

CREATE TABLE deployments (
  repo text NOT NULL,
  environment text NOT NULL,
  sha text NOT NULL,
  authored_at timestamptz NOT NULL,
  deployed_at timestamptz NOT NULL,
  reverted_by text,
  restored_at timestamptz,
  PRIMARY KEY (repo, environment, sha)
);
CREATE INDEX deployments_at ON deployments (deployed_at);

CREATE TABLE admission_minutes (
  minute timestamptz NOT NULL,
  policy text NOT NULL,
  action text NOT NULL,
  environment text NOT NULL DEFAULT '',
  namespace text NOT NULL DEFAULT '',
  count integer NOT NULL,
  PRIMARY KEY (minute, policy, action, environment, namespace)
);

CREATE TABLE admission_denials (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL,
  uid text,
  policy text NOT NULL,
  environment text NOT NULL DEFAULT '',
  namespace text NOT NULL DEFAULT '',
  kind text,
  name text,
  operation text,
  username text,
  message text NOT NULL
);
CREATE INDEX admission_denials_at ON admission_denials (at);
`,
  },
  {
    version: 2,
    name: 'lifecycle rows updated in place',
    // Every run updates last_seen of each open finding of its ref. With half of each page
    // free, the new row version goes on the same page without touching the indexes (a HOT
    // update) and the old one is pruned in place: PGlite has no autovacuum, and at 100%
    // the table grew by a full copy per run (20 MB for 5,570 findings after 13 runs).
    sql: `ALTER TABLE finding_lifecycle SET (fillfactor = 50);`,
  },
  {
    version: 3,
    name: 'the newest run of each repo and ref; no policy index on findings',
    // Each run rewrote last_seen of every open finding of its ref (5,570 row versions and as
    // many foreign-key checks for the bench's scan). An open finding was seen last in the
    // newest run of its ref: one row per ref says which, and a run updates a lifecycle row
    // only when the finding changed (fixed, reopened, moved, re-rated). The heads of an
    // existing store are its newest runs (those the lifecycle followed). findings_policy
    // served no query and cost every insert; dropping an index loses no data. A finding's run
    // defaults to the run being written (a setting local to its transaction; without it, NULL
    // is refused), so the embedded engine can COPY a run's findings without knowing its id.
    sql: `
CREATE TABLE ref_heads (
  repo text NOT NULL,
  ref text NOT NULL,
  run_id bigint NOT NULL REFERENCES runs (id),
  at timestamptz NOT NULL,
  PRIMARY KEY (repo, ref)
);
INSERT INTO ref_heads (repo, ref, run_id, at)
SELECT DISTINCT ON (repo, ref) repo, ref, id, started_at FROM runs ORDER BY repo, ref, started_at DESC, id DESC;
DROP INDEX IF EXISTS findings_policy;
ALTER TABLE findings ALTER COLUMN run_id SET DEFAULT NULLIF(current_setting('palisade.run_id', true), '')::bigint;
`,
  },
  {
    version: 4,
    name: 'rollups that stats reads: events per day, times to fix, open counts, policies first seen',
    // stats scanned every finding event and lifecycle row (a year of 50 repositories: ~430 ms
    // of a brief PGlite's CPU). Recording keeps these up to date in the run's transaction
    // (rollups.ts); an existing store gets them filled from its rows, so its figures stay.
    sql: ROLLUP_TABLES_SQL + ROLLUP_BACKFILL_SQL,
  },
  {
    version: 5,
    name: "each run's place in its ref's first-parent history, which orders a ref's runs",
    // The latest run of a ref was the one with the latest start time: a back-dated tip lost to
    // its parent, and an old commit recorded later (a CI re-run, an import whose commit claims
    // a later date) took the head. Runs and heads recorded before have no position: the start
    // time decides for them, as it did (ref-heads.ts). Columns are added, nothing is rewritten.
    sql: POSITION_SQL,
  },
]

/** Arbitrary constant key of the advisory lock that serialises migrations across processes. */
const MIGRATION_LOCK = 716_016_001

const LOCK_SQL = 'SELECT pg_advisory_xact_lock($1)'
const SCHEMA_TABLE_SQL =
  'CREATE TABLE IF NOT EXISTS palisade_schema (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())'
const VERSIONS_SQL = 'SELECT version FROM palisade_schema ORDER BY version'

/**
 * Bring the schema up to date, in one transaction under an advisory lock: two
 * processes opening a fresh database at once apply each migration once. A database
 * from a newer Palisade (a version this one does not know) is refused, not downgraded.
 * An up-to-date schema (every open but the first) is checked in one batch: the embedded
 * engine in a worker thread answers it without waiting on the main thread.
 */
export async function migrate(client: SqlClient, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  const [, , rows = []] = await client.batch([
    { sql: LOCK_SQL, params: [MIGRATION_LOCK] },
    { sql: SCHEMA_TABLE_SQL },
    { sql: VERSIONS_SQL },
  ])
  const applied = versionsIn(rows, client, migrations)
  if (migrations.every((m) => applied.has(m.version))) return []
  return client.transaction(async (tx) => {
    await tx.query(LOCK_SQL, [MIGRATION_LOCK])
    await tx.query(SCHEMA_TABLE_SQL)
    // Read again under the lock: another process may have migrated since the check.
    const current = versionsIn(await tx.query(VERSIONS_SQL), client, migrations)
    const done: number[] = []
    for (const m of migrations) {
      if (current.has(m.version)) continue
      await tx.exec(m.sql)
      await tx.query('INSERT INTO palisade_schema (version, name) VALUES ($1, $2)', [m.version, m.name])
      done.push(m.version)
    }
    return done
  })
}

/** The applied versions; a version newer than any this Palisade knows is refused. */
function versionsIn(rows: readonly Row[], client: SqlClient, migrations: readonly Migration[]): Set<number> {
  const applied = new Set(rows.map((r) => Number(r.version)))
  const known = Math.max(0, ...migrations.map((m) => m.version))
  const newest = Math.max(0, ...applied)
  if (newest > known) {
    throw new ToolError(
      'STORAGE_UNAVAILABLE',
      `the store ${client.location} has schema version ${newest}, newer than this Palisade knows (${known})`,
      { hint: 'upgrade Palisade' },
    )
  }
  return applied
}
