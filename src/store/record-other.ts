import type { SqlQueryable } from './sql-client.js'
import type { AdmissionDecision, CommitRecord, DeploymentRecord } from './records.js'

/** Upsert commits' signature verdicts: the latest verification of a commit wins. */
export async function recordCommits(tx: SqlQueryable, commits: readonly CommitRecord[]): Promise<void> {
  const list = [...new Map(commits.map((c) => [`${c.repo}\n${c.sha}`, c])).values()]
  if (list.length === 0) return
  await tx.query(
    `INSERT INTO commits (repo, sha, committed_at, author, signer, signed, verdict)
     SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::boolean[], $7::text[])
     ON CONFLICT (repo, sha) DO UPDATE SET committed_at = COALESCE(EXCLUDED.committed_at, commits.committed_at), author = COALESCE(EXCLUDED.author, commits.author),
       signer = EXCLUDED.signer, signed = EXCLUDED.signed, verdict = EXCLUDED.verdict, recorded_at = now()`,
    [
      list.map((c) => c.repo),
      list.map((c) => c.sha),
      list.map((c) => c.committedAt ?? null),
      list.map((c) => c.author ?? null),
      list.map((c) => c.signer ?? null),
      list.map((c) => c.signed),
      list.map((c) => c.verdict),
    ],
  )
}

/** Upsert deployments (history import may see a commit again). */
export async function recordDeployments(tx: SqlQueryable, deployments: readonly DeploymentRecord[]): Promise<void> {
  const list = [...new Map(deployments.map((d) => [`${d.repo}\n${d.environment}\n${d.sha}`, d])).values()]
  if (list.length === 0) return
  await tx.query(
    `INSERT INTO deployments (repo, environment, sha, authored_at, deployed_at, reverted_by, restored_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::text[], $7::timestamptz[])
     ON CONFLICT (repo, environment, sha) DO UPDATE SET reverted_by = EXCLUDED.reverted_by, restored_at = EXCLUDED.restored_at`,
    [
      list.map((d) => d.repo),
      list.map((d) => d.environment),
      list.map((d) => d.sha),
      list.map((d) => d.authoredAt),
      list.map((d) => d.deployedAt),
      list.map((d) => d.revertedBy ?? null),
      list.map((d) => d.restoredAt ?? null),
    ],
  )
}

/**
 * Admission decisions: counted per minute by policy, action, environment and namespace
 * (upserted, so several webhook replicas add up), each denial kept in full; rows older
 * than the retention are deleted in the same transaction, so the tables stay bounded.
 */
export async function recordAdmission(
  tx: SqlQueryable,
  decisions: readonly AdmissionDecision[],
  retention: { days: number; now: Date },
): Promise<void> {
  const minutes = new Map<
    string,
    { minute: Date; policy: string; action: string; environment: string; namespace: string; count: number }
  >()
  for (const d of decisions) {
    const minute = new Date(Math.floor(d.at.getTime() / 60_000) * 60_000)
    const key = [minute.toISOString(), d.policy, d.action, d.environment ?? '', d.namespace ?? ''].join('\n')
    const entry = minutes.get(key) ?? {
      minute,
      policy: d.policy,
      action: d.action,
      environment: d.environment ?? '',
      namespace: d.namespace ?? '',
      count: 0,
    }
    entry.count++
    minutes.set(key, entry)
  }
  const rows = [...minutes.values()]
  if (rows.length > 0) {
    await tx.query(
      `INSERT INTO admission_minutes (minute, policy, action, environment, namespace, count)
       SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[])
       ON CONFLICT (minute, policy, action, environment, namespace) DO UPDATE SET count = admission_minutes.count + EXCLUDED.count`,
      [
        rows.map((r) => r.minute),
        rows.map((r) => r.policy),
        rows.map((r) => r.action),
        rows.map((r) => r.environment),
        rows.map((r) => r.namespace),
        rows.map((r) => r.count),
      ],
    )
  }
  const denials = decisions.filter((d) => d.denied)
  if (denials.length > 0) {
    const col = <T>(get: (d: AdmissionDecision) => T): T[] => denials.map(get)
    await tx.query(
      `INSERT INTO admission_denials (at, uid, policy, environment, namespace, kind, name, operation, username, message)
       SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])`,
      [
        col((d) => d.at),
        col((d) => d.uid ?? null),
        col((d) => d.policy),
        col((d) => d.environment ?? ''),
        col((d) => d.namespace ?? ''),
        col((d) => d.kind ?? null),
        col((d) => d.name ?? null),
        col((d) => d.operation ?? null),
        col((d) => d.username ?? null),
        col((d) => d.message),
      ],
    )
  }
  const cutoff = new Date(retention.now.getTime() - retention.days * 86_400_000)
  await tx.query('DELETE FROM admission_minutes WHERE minute < $1', [cutoff])
  await tx.query('DELETE FROM admission_denials WHERE at < $1', [cutoff])
}
