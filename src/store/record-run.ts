import type { SqlQueryable } from './sql-client.js'
import type { FindingRecord, RunOutcome, RunRecord } from './records.js'

/**
 * Write one run, its findings, waivers and policy actions, and advance the lifecycle of
 * the findings of its repo + ref, all in the caller's transaction: a writer killed
 * half-way leaves no trace. Runs of one repo + ref are serialised by an advisory lock,
 * so two CI jobs recording at once see each other's lifecycle.
 */
export async function recordRun(tx: SqlQueryable, run: RunRecord): Promise<RunOutcome> {
  const m = run.meta
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1 || chr(10) || $2))', [m.repo, m.ref])
  const [inserted] = await tx.query<{ id: number }>(
    `INSERT INTO runs (repo, ref, commit_sha, started_at, duration_ms, tool_version, policy_digest, environments, source, findings)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text[], $9, $10) RETURNING id::int AS id`,
    [
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
    ],
  )
  const runId = Number(inserted?.id)
  const findings = uniqueFindings(run.findings)
  await insertFindings(tx, runId, findings)
  await insertWaivers(tx, runId, findings)
  await insertPolicyActions(tx, runId, run)

  const [later] = await tx.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM runs WHERE repo = $1 AND ref = $2 AND id <> $3 AND started_at > $4',
    [m.repo, m.ref, runId, m.startedAt],
  )
  if (Number(later?.n) > 0) return { runId, opened: 0, reopened: 0, fixed: 0, lifecycleUpdated: false }
  return { runId, ...(await advanceLifecycle(tx, runId, m.repo, m.ref, m.startedAt)), lifecycleUpdated: true }
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

async function insertFindings(tx: SqlQueryable, runId: number, findings: readonly FindingRecord[]): Promise<void> {
  for (let i = 0; i < findings.length; i += CHUNK) {
    const part = findings.slice(i, i + CHUNK)
    const col = <T>(get: (f: FindingRecord) => T): T[] => part.map(get)
    await tx.query(
      `INSERT INTO findings (run_id, fingerprint, environment, policy, severity, action, status, message, kind, namespace, name, file, line, waived)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::int[], $14::boolean[])`,
      [
        runId,
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
    )
  }
}

async function insertWaivers(tx: SqlQueryable, runId: number, findings: readonly FindingRecord[]): Promise<void> {
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
  if (byKey.size === 0) return
  const rows = [...byKey.values()]
  await tx.query(
    `INSERT INTO waivers (run_id, policy, source, reason, owner, expires, findings)
     SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::date[], $7::int[])`,
    [
      runId,
      rows.map((r) => r.policy),
      rows.map((r) => r.source),
      rows.map((r) => r.reason),
      rows.map((r) => r.owner),
      rows.map((r) => r.expires),
      rows.map((r) => r.findings),
    ],
  )
}

async function insertPolicyActions(tx: SqlQueryable, runId: number, run: RunRecord): Promise<void> {
  const rows = new Map(run.policyActions.map((p) => [`${p.policy}\n${p.environment ?? ''}`, p]))
  if (rows.size === 0) return
  const list = [...rows.values()]
  await tx.query(
    'INSERT INTO run_policies (run_id, policy, environment, action) SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[])',
    [runId, list.map((p) => p.policy), list.map((p) => p.environment ?? ''), list.map((p) => p.action)],
  )
}

/** Compare the run's findings with the open and fixed findings of its repo + ref: fixed, reopened, still open, new. */
async function advanceLifecycle(
  tx: SqlQueryable,
  runId: number,
  repo: string,
  ref: string,
  at: Date,
): Promise<{ opened: number; reopened: number; fixed: number }> {
  const present =
    'SELECT 1 FROM findings f WHERE f.run_id = $3 AND f.fingerprint = l.fingerprint AND f.environment = l.environment'
  const event = (kind: string, from: string, openSince: string): string =>
    `ins AS (INSERT INTO finding_events (repo, ref, fingerprint, environment, policy, severity, event, at, run_id, open_since)
       SELECT $1, $2, fingerprint, environment, policy, severity, '${kind}', $4, $3, ${openSince} FROM ${from} RETURNING 1)
     SELECT count(*)::int AS n FROM ins`
  const count = async (sql: string): Promise<number> =>
    Number((await tx.query<{ n: number }>(sql, [repo, ref, runId, at]))[0]?.n ?? 0)
  // These statements compare all of a run's findings with all of its ref's lifecycle. Without
  // fresh statistics (PGlite has no autovacuum, a new run's rows are not yet analysed) the
  // planner estimates one row and picks nested loops: 5,570 findings took 23 s. Hash joins
  // are linear whatever the estimates; the setting ends with the transaction.
  await tx.query('SET LOCAL enable_nestloop = off')

  const fixed = await count(`WITH gone AS (
      UPDATE finding_lifecycle l SET fixed_at = $4, fixed_run = $3
      WHERE l.repo = $1 AND l.ref = $2 AND l.fixed_at IS NULL AND NOT EXISTS (${present})
      RETURNING l.fingerprint, l.environment, l.policy, l.severity, l.open_since),
    ${event('fixed', 'gone', 'open_since')}`)
  const reopened = await count(`WITH back AS (
      UPDATE finding_lifecycle l SET fixed_at = NULL, fixed_run = NULL, open_since = $4, reopened = l.reopened + 1
      WHERE l.repo = $1 AND l.ref = $2 AND l.fixed_at IS NOT NULL AND EXISTS (${present})
      RETURNING l.fingerprint, l.environment, l.policy, l.severity),
    ${event('reopened', 'back', 'NULL::timestamptz')}`)
  await tx.query(
    `UPDATE finding_lifecycle l SET last_seen_at = $4, last_seen_run = $3, severity = f.severity, policy = f.policy, file = f.file, line = f.line
     FROM findings f WHERE f.run_id = $3 AND l.repo = $1 AND l.ref = $2 AND f.fingerprint = l.fingerprint AND f.environment = l.environment`,
    [repo, ref, runId, at],
  )
  const opened = await count(`WITH new AS (
      INSERT INTO finding_lifecycle (repo, ref, fingerprint, environment, policy, severity, first_seen_at, first_seen_run, open_since, last_seen_at, last_seen_run, file, line)
      SELECT $1, $2, f.fingerprint, f.environment, f.policy, f.severity, $4, $3, $4, $4, $3, f.file, f.line FROM findings f
      WHERE f.run_id = $3 AND NOT EXISTS (SELECT 1 FROM finding_lifecycle l WHERE l.repo = $1 AND l.ref = $2 AND l.fingerprint = f.fingerprint AND l.environment = f.environment)
      RETURNING fingerprint, environment, policy, severity),
    ${event('opened', 'new', 'NULL::timestamptz')}`)
  return { opened, reopened, fixed }
}
