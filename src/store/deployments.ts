import type { DeploymentRecord } from './records.js'

/** A commit as history import reads it. */
export interface HistoryCommit {
  sha: string
  authoredAt: Date
  committedAt: Date
  /** Full message, for `This reverts commit <sha>.` */
  message: string
  /** Paths the commit changed against its first parent. */
  paths: readonly string[]
}

/**
 * Deployments from Git history (DORA, GitOps style): a commit that changes a file of an
 * environment deploys to it. A deployment reverted (`git revert`'s message) within the
 * window is a failed change; the revert's time is when service was restored.
 *
 * @param environmentOf the environment of a repository path, if any
 */
export function deploymentsFrom(
  repo: string,
  commits: readonly HistoryCommit[],
  environmentOf: (path: string) => string | undefined,
  revertWindowDays: number,
): DeploymentRecord[] {
  const reverts = new Map<string, HistoryCommit>()
  for (const c of commits) {
    for (const m of c.message.matchAll(/This reverts commit ([0-9a-f]{7,64})/g)) {
      const target = m[1] as string
      if (!reverts.has(target)) reverts.set(target, c)
    }
  }
  const revertOf = (sha: string): HistoryCommit | undefined =>
    reverts.get(sha) ?? [...reverts.entries()].find(([short]) => sha.startsWith(short))?.[1]
  const out: DeploymentRecord[] = []
  for (const c of commits) {
    const envs = new Set(c.paths.map(environmentOf).filter((e): e is string => e !== undefined))
    const revert = revertOf(c.sha)
    const failed =
      revert !== undefined && revert.committedAt.getTime() - c.committedAt.getTime() <= revertWindowDays * 86_400_000
    for (const environment of envs) {
      out.push({
        repo,
        environment,
        sha: c.sha,
        authoredAt: c.authoredAt,
        deployedAt: c.committedAt,
        ...(failed && revert ? { revertedBy: revert.sha, restoredAt: revert.committedAt } : {}),
      })
    }
  }
  return out
}
