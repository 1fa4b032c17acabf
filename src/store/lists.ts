import { LATEST_RUNS } from './ref-heads.js'
import type { SqlQueryable } from './sql-client.js'
import type { WaiverRow } from './stats-types.js'

const iso = (column: string): string => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`

/** A recorded commit with its signature verdict. */
export interface CommitRow {
  repo: string
  sha: string
  committedAt: string | null
  author: string | null
  signer: string | null
  signed: boolean
  verdict: string
}

/** A denied admission request, in full. */
export interface DenialRow {
  at: string
  policy: string
  environment: string
  namespace: string
  kind: string | null
  name: string | null
  operation: string | null
  username: string | null
  message: string
}

/** The latest commits, newest first. */
export async function recentCommits(db: SqlQueryable, limit: number): Promise<CommitRow[]> {
  return db.query<CommitRow>(
    `SELECT repo, sha, ${iso('committed_at')} AS "committedAt", author, signer, signed, verdict FROM commits ORDER BY committed_at DESC NULLS LAST, sha LIMIT $1`,
    [limit],
  )
}

/** Signed share per signer: who signs how many commits. */
export async function signers(db: SqlQueryable, since: Date): Promise<{ signer: string; commits: number }[]> {
  const rows = await db.query<{ signer: string; commits: number }>(
    `SELECT COALESCE(signer, CASE WHEN signed THEN '(signed, not verified)' ELSE '(unsigned)' END) AS signer, count(*)::int AS commits
     FROM commits WHERE committed_at >= $1 GROUP BY 1 ORDER BY 2 DESC, 1`,
    [since],
  )
  return rows.map((r) => ({ signer: r.signer, commits: Number(r.commits) }))
}

/** The latest denials, newest first. */
export async function recentDenials(db: SqlQueryable, limit: number): Promise<DenialRow[]> {
  return db.query<DenialRow>(
    `SELECT ${iso('at')} AS at, policy, environment, namespace, kind, name, operation, username, message FROM admission_denials ORDER BY at DESC, id DESC LIMIT $1`,
    [limit],
  )
}

/** Waivers in force in the latest run of each repository and ref (unexpired), soonest expiry first. */
export async function activeWaivers(db: SqlQueryable, today: string): Promise<WaiverRow[]> {
  const rows = await db.query<WaiverRow>(
    `SELECT r.repo, w.policy, w.reason, w.owner, to_char(w.expires, 'YYYY-MM-DD') AS expires, sum(w.findings)::int AS findings
     FROM waivers w JOIN (${LATEST_RUNS}) r ON r.id = w.run_id
     WHERE w.expires IS NULL OR w.expires >= $1::date
     GROUP BY r.repo, w.policy, w.reason, w.owner, w.expires ORDER BY w.expires NULLS LAST, 1, 2`,
    [today],
  )
  return rows.map((r) => ({ ...r, findings: Number(r.findings) }))
}

/** Values the findings filters offer: environments, policies and repositories with open findings. */
export async function findingFacets(
  db: SqlQueryable,
): Promise<{ environments: string[]; policies: string[]; repos: string[] }> {
  // The open counts kept on write (rollups.ts), not every open finding.
  const rows = await db.query<{ environment: string; policy: string; repo: string }>(
    'SELECT DISTINCT environment, policy, repo FROM open_counts WHERE open > 0',
  )
  const sorted = (get: (r: (typeof rows)[number]) => string): string[] =>
    [...new Set(rows.map((r) => get(r) || '(none)'))].sort()
  return { environments: sorted((r) => r.environment), policies: sorted((r) => r.policy), repos: sorted((r) => r.repo) }
}
