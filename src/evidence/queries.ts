import type { SqlQueryable } from '../store/index.js'
import type { Period } from '../compliance/index.js'

const iso = (column: string): string => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`

/** Run records of the period, oldest first. */
export async function runsOf(db: SqlQueryable, period: Period): Promise<Record<string, unknown>[]> {
  return db.query(
    `SELECT id::text AS id, repo, ref, commit_sha AS commit, ${iso('started_at')} AS "startedAt", duration_ms AS "durationMs", tool_version AS "toolVersion",
            policy_digest AS "policyDigest", environments, source, findings
     FROM runs WHERE started_at >= $1 AND started_at < $2 ORDER BY started_at, id`,
    [period.since, period.until],
  )
}

/** Waivers in force in the period's runs, one row per waiver with the runs it was seen in. */
export async function waiversOf(db: SqlQueryable, period: Period): Promise<Record<string, unknown>[]> {
  return db.query(
    `SELECT r.repo, w.policy, w.source, w.reason, w.owner, to_char(w.expires, 'YYYY-MM-DD') AS expires, count(*)::int AS runs, max(w.findings)::int AS "maxFindings"
     FROM waivers w JOIN runs r ON r.id = w.run_id WHERE r.started_at >= $1 AND r.started_at < $2
     GROUP BY r.repo, w.policy, w.source, w.reason, w.owner, w.expires ORDER BY 1, 2, 4`,
    [period.since, period.until],
  )
}

/** verify-commits results of the period's commits. */
export async function commitsOf(db: SqlQueryable, period: Period): Promise<Record<string, unknown>[]> {
  return db.query(
    `SELECT repo, sha, ${iso('committed_at')} AS "committedAt", author, signer, signed, verdict FROM commits
     WHERE committed_at >= $1 AND committed_at < $2 ORDER BY committed_at, sha`,
    [period.since, period.until],
  )
}

/** The Git commits the period's runs scanned. */
export async function coveredCommits(db: SqlQueryable, period: Period): Promise<{ repo: string; sha: string }[]> {
  return db.query<{ repo: string; sha: string }>(
    'SELECT DISTINCT repo, commit_sha AS sha FROM runs WHERE started_at >= $1 AND started_at < $2 AND commit_sha IS NOT NULL ORDER BY 1, 2',
    [period.since, period.until],
  )
}
