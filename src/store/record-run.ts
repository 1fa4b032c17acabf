import { DECIDE_HEAD_SQL, IS_HEAD, LIFECYCLE_AT } from './ref-heads.js'
import { LIFECYCLE_MOVED, rollupStatements } from './rollups.js'
import { runStatements, type Row, type SqlClient, type SqlQueryable, type Statement } from './sql-client.js'
import type { FindingRecord, RunOutcome, RunRecord } from './records.js'

/**
 * The id of the run being written, inside its transaction: its INSERT puts it in a setting
 * local to the transaction. With it the whole run is one batch of statements, with no
 * answer awaited between them (SqlClient.batch). current_setting is stable, so the planner
 * treats it as a constant: an index key, and EXISTS subqueries still become hash joins
 * (with currval, volatile, each one was probed once per lifecycle row).
 */
const RUN_ID = "current_setting('palisade.run_id')::bigint"

/** Where a batch's answers are: the run's id, whether it became its ref's head, the lifecycle counts. */
interface Plan {
  statements: Statement[]
  runIndex: number
  headIndex: number
  fixedIndex: number
  reopenedIndex: number
  openedIndex: number
}

/**
 * Write one run, its findings, waivers and policy actions, and advance the lifecycle of
 * the findings of its repo + ref, all in the caller's transaction: a writer killed
 * half-way leaves no trace. Runs of one repo + ref are serialised by an advisory lock,
 * so two CI jobs recording at once see each other's lifecycle.
 */
export async function recordRun(tx: SqlQueryable, run: RunRecord): Promise<RunOutcome> {
  const plan = planRun(run)
  return outcomeOf(plan, await runStatements(tx, plan.statements))
}

/** The same as {@link recordRun} in one batch: one transaction, one request to the engine. */
export async function recordRunBatch(client: SqlClient, run: RunRecord): Promise<RunOutcome> {
  const plan = planRun(run, client.engine === 'pglite')
  return outcomeOf(plan, await client.batch(plan.statements))
}

function outcomeOf(plan: Plan, results: readonly Row[][]): RunOutcome {
  const first = (i: number): number => Number(results[i]?.[0]?.[i === plan.runIndex ? 'id' : 'n'] ?? 0)
  const runId = first(plan.runIndex)
  // A run that is not its ref's head (ref-heads.ts) is kept, but the lifecycle is not rewound.
  if (results[plan.headIndex]?.[0]?.head !== '1')
    return { runId, opened: 0, reopened: 0, fixed: 0, lifecycleUpdated: false }
  return {
    runId,
    opened: first(plan.openedIndex),
    reopened: first(plan.reopenedIndex),
    fixed: first(plan.fixedIndex),
    lifecycleUpdated: true,
  }
}

function planRun(run: RunRecord, copy = false): Plan {
  const m = run.meta
  const statements: Statement[] = [
    { sql: 'SELECT pg_advisory_xact_lock(hashtext($1 || chr(10) || $2))', params: [m.repo, m.ref] },
    {
      sql: `WITH run AS (INSERT INTO runs (repo, ref, commit_sha, started_at, duration_ms, tool_version, policy_digest, environments, source, findings, position)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text[], $9, $10, $11) RETURNING id)
     SELECT id::int AS id, set_config('palisade.run_id', id::text, true) FROM run`,
      params: [
        m.repo,
        m.ref,
        m.commit ?? null,
        m.startedAt,
        Math.round(m.durationMs),
        m.toolVersion,
        m.policyDigest,
        [...m.environments],
        m.source,
        run.findings.length,
        m.position ?? null,
      ],
    },
  ]
  const runIndex = 1
  const findings = uniqueFindings(run.findings)
  statements.push(
    ...(copy ? copyFindings(findings) : insertFindings(findings)),
    ...insertWaivers(findings),
    ...insertPolicyActions(run),
  )
  const headIndex = statements.length
  statements.push({
    sql: DECIDE_HEAD_SQL,
    params: [m.repo, m.ref, m.startedAt, m.position ?? null, m.rewrites ?? null],
  })
  const lifecycle = lifecycleStatements(m.repo, m.ref, m.startedAt, m.position ?? null)
  const base = statements.length
  statements.push(...lifecycle.statements)
  return {
    statements,
    runIndex,
    headIndex,
    fixedIndex: base + lifecycle.fixed,
    reopenedIndex: base + lifecycle.reopened,
    openedIndex: base + lifecycle.opened,
  }
}

/** One row per fingerprint and environment (a finding in several renders of one environment is one finding). */
function uniqueFindings(findings: readonly FindingRecord[]): FindingRecord[] {
  const seen = new Map<string, FindingRecord>()
  for (const f of findings) {
    const key = `${f.fingerprint}\n${f.environment ?? ''}`
    if (!seen.has(key)) seen.set(key, f)
  }
  return [...seen.values()]
}

// One statement per table with array parameters (unnest): 20,000 findings are one round trip, not 20,000.
const CHUNK = 5000

const FINDING_COLUMNS =
  'fingerprint, environment, policy, severity, action, status, message, kind, namespace, name, file, line, waived'

/**
 * The embedded engine reads a run's findings with COPY from a blob of text: a third less CPU
 * than parsing 13 array parameters (measured on 5,570 findings: 155 -> 105 ms). run_id is
 * left to its default, the run being written (migration 3).
 */
function copyFindings(findings: readonly FindingRecord[]): Statement[] {
  if (findings.length === 0) return []
  const rows = findings.map((f) =>
    [
      f.fingerprint,
      f.environment ?? '',
      f.policy,
      f.severity,
      f.action,
      f.status,
      f.message,
      f.kind,
      f.namespace,
      f.name,
      f.file,
      f.line,
      f.waiver !== undefined,
    ]
      .map(copyField)
      .join('\t'),
  )
  return [{ sql: `COPY findings (${FINDING_COLUMNS}) FROM '/dev/blob'`, blob: `${rows.join('\n')}\n` }]
}

const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' }

/** A field of COPY's text format: \N for none, backslash, tab and line breaks escaped. */
function copyField(value: string | number | boolean | undefined | null): string {
  if (value === undefined || value === null) return '\\N'
  return String(value).replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c] as string)
}

function insertFindings(findings: readonly FindingRecord[]): Statement[] {
  const statements: Statement[] = []
  for (let i = 0; i < findings.length; i += CHUNK) {
    const part = findings.slice(i, i + CHUNK)
    const col = <T>(get: (f: FindingRecord) => T): T[] => part.map(get)
    statements.push({
      sql: `INSERT INTO findings (run_id, ${FINDING_COLUMNS})
       SELECT ${RUN_ID}, * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::int[], $13::boolean[])`,
      params: [
        col((f) => f.fingerprint),
        col((f) => f.environment ?? ''),
        col((f) => f.policy),
        col((f) => f.severity),
        col((f) => f.action),
        col((f) => f.status),
        col((f) => f.message),
        col((f) => f.kind ?? null),
        col((f) => f.namespace ?? null),
        col((f) => f.name ?? null),
        col((f) => f.file ?? null),
        col((f) => f.line ?? null),
        col((f) => f.waiver !== undefined),
      ],
    })
  }
  return statements
}

function insertWaivers(findings: readonly FindingRecord[]): Statement[] {
  const byKey = new Map<
    string,
    { policy: string; source: string; reason: string; owner: string | null; expires: string | null; findings: number }
  >()
  for (const f of findings) {
    if (!f.waiver) continue
    const key = [f.policy, f.waiver.source, f.waiver.reason].join('\n')
    const entry = byKey.get(key) ?? {
      policy: f.policy,
      source: f.waiver.source,
      reason: f.waiver.reason,
      owner: f.waiver.owner ?? null,
      expires: f.waiver.expires ?? null,
      findings: 0,
    }
    entry.findings++
    byKey.set(key, entry)
  }
  if (byKey.size === 0) return []
  const rows = [...byKey.values()]
  return [
    {
      sql: `INSERT INTO waivers (run_id, policy, source, reason, owner, expires, findings)
     SELECT ${RUN_ID}, * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[], $6::int[])`,
      params: [
        rows.map((r) => r.policy),
        rows.map((r) => r.source),
        rows.map((r) => r.reason),
        rows.map((r) => r.owner),
        rows.map((r) => r.expires),
        rows.map((r) => r.findings),
      ],
    },
  ]
}

function insertPolicyActions(run: RunRecord): Statement[] {
  const rows = new Map(run.policyActions.map((p) => [`${p.policy}\n${p.environment ?? ''}`, p]))
  if (rows.size === 0) return []
  const list = [...rows.values()]
  return [
    {
      sql: `INSERT INTO run_policies (run_id, policy, environment, action) SELECT ${RUN_ID}, * FROM unnest($1::text[], $2::text[], $3::text[])`,
      params: [list.map((p) => p.policy), list.map((p) => p.environment ?? ''), list.map((p) => p.action)],
    },
  ]
}

/**
 * Compare the run's findings with the open and fixed findings of its repo + ref: fixed,
 * reopened, moved or re-rated, new; then the run becomes its ref's head (ref_heads). Each
 * statement does nothing when the run is not its ref's head (ref-heads.ts: a setting,
 * evaluated once, before any row). Events carry the run's lifecycle time (its start, or the
 * previous head's when later).
 */
function lifecycleStatements(
  repo: string,
  ref: string,
  startedAt: Date,
  position: number | null,
): { statements: Statement[]; fixed: number; reopened: number; opened: number } {
  const params = [repo, ref]
  const newest = IS_HEAD
  const at = LIFECYCLE_AT
  const head = (column: string): string => `(SELECT ${column} FROM ref_heads WHERE repo = $1 AND ref = $2)`
  const present = `SELECT 1 FROM findings f WHERE f.run_id = ${RUN_ID} AND f.fingerprint = l.fingerprint AND f.environment = l.environment`
  const event = (kind: string, from: string, openSince: string): string =>
    `ins AS (INSERT INTO finding_events (repo, ref, fingerprint, environment, policy, severity, event, at, run_id, open_since)
       SELECT $1, $2, fingerprint, environment, policy, severity, '${kind}', ${at}, ${RUN_ID}, ${openSince} FROM ${from} RETURNING 1)
     SELECT count(*)::int AS n FROM ins`
  return {
    statements: [
      // These statements compare all of a run's findings with all of its ref's lifecycle. Without
      // fresh statistics (PGlite has no autovacuum, a new run's rows are not yet analysed) the
      // planner estimates one row and picks nested loops: 5,570 findings took 23 s. Hash joins
      // are linear whatever the estimates; the setting ends with the transaction.
      { sql: 'SET LOCAL enable_nestloop = off' },
      {
        // A fixed finding was seen last in the ref's previous head (it was open there).
        sql: `WITH gone AS (
      UPDATE finding_lifecycle l SET fixed_at = ${at}, fixed_run = ${RUN_ID},
        last_seen_at = COALESCE(${head('at')}, l.last_seen_at), last_seen_run = COALESCE(${head('run_id')}, l.last_seen_run)
      WHERE l.repo = $1 AND l.ref = $2 AND l.fixed_at IS NULL AND NOT EXISTS (${present}) AND ${newest}
      RETURNING l.fingerprint, l.environment, l.policy, l.severity, l.open_since),
    ${event('fixed', 'gone', 'open_since')}`,
        params,
      },
      {
        sql: `WITH back AS (
      UPDATE finding_lifecycle l SET fixed_at = NULL, fixed_run = NULL, open_since = ${at}, reopened = l.reopened + 1
      WHERE l.repo = $1 AND l.ref = $2 AND l.fixed_at IS NOT NULL AND EXISTS (${present}) AND ${newest}
      RETURNING l.fingerprint, l.environment, l.policy, l.severity),
    ${event('reopened', 'back', 'NULL::timestamptz')}`,
        params,
      },
      {
        // Only what changed is written: an open finding's last run is its ref's head. How many
        // rows changed is kept for the rollups (nothing moved, no event: open counts stand).
        sql: `WITH moved AS (UPDATE finding_lifecycle l SET last_seen_at = ${at}, last_seen_run = f.run_id, severity = f.severity, policy = f.policy, file = f.file, line = f.line
     FROM findings f WHERE f.run_id = ${RUN_ID} AND l.repo = $1 AND l.ref = $2 AND f.fingerprint = l.fingerprint AND f.environment = l.environment
       AND (l.severity, l.policy, l.file, l.line) IS DISTINCT FROM (f.severity, f.policy, f.file, f.line) AND ${newest} RETURNING 1)
     SELECT set_config('${LIFECYCLE_MOVED}', count(*)::text, true) AS moved FROM moved`,
        params,
      },
      {
        sql: `WITH new AS (
      INSERT INTO finding_lifecycle (repo, ref, fingerprint, environment, policy, severity, first_seen_at, first_seen_run, open_since, last_seen_at, last_seen_run, file, line)
      SELECT $1, $2, f.fingerprint, f.environment, f.policy, f.severity, ${at}, f.run_id, ${at}, ${at}, f.run_id, f.file, f.line FROM findings f
      WHERE f.run_id = ${RUN_ID} AND ${newest} AND NOT EXISTS (SELECT 1 FROM finding_lifecycle l WHERE l.repo = $1 AND l.ref = $2 AND l.fingerprint = f.fingerprint AND l.environment = f.environment)
      RETURNING fingerprint, environment, policy, severity),
    ${event('opened', 'new', 'NULL::timestamptz')}`,
        params,
      },
      {
        sql: `INSERT INTO ref_heads (repo, ref, run_id, at, position) SELECT $1, $2, ${RUN_ID}, ${at}, $3::int WHERE ${newest}
     ON CONFLICT (repo, ref) DO UPDATE SET run_id = EXCLUDED.run_id, at = EXCLUDED.at, position = EXCLUDED.position`,
        params: [repo, ref, position],
      },
      ...rollupStatements(RUN_ID, newest, at, startedAt, repo, ref),
    ],
    fixed: 1,
    reopened: 2,
    opened: 4,
  }
}
