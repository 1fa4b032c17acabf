import {
  formatIdent,
  parseCommitObject,
  readObjects,
  verifyCommitSignature,
  type RangeVerification,
  type Repository,
  type TrustStore,
} from '../git/index.js'
import { ToolError } from '../core/index.js'
import type { CommitRecord } from '../store/index.js'

/**
 * `verify-commits --record`: each checked commit's verdict (`verified`, or the problem
 * verify-commits found) and signer. The signer of a verified commit is read again from
 * its signature, since the range verification reports only the commits it rejects.
 */
export async function commitRecords(
  repo: Repository,
  repoId: string,
  verification: RangeVerification,
  trust: TrustStore,
  now: Date,
): Promise<CommitRecord[]> {
  const problems = new Map(verification.findings.map((f) => [f.commit, f]))
  const objects = await readObjects(repo, verification.commits)
  const out: CommitRecord[] = []
  for (const [i, sha] of verification.commits.entries()) {
    const object = objects[i]
    if (!object || object.type !== 'commit') throw new ToolError('GIT_FAILED', `cannot read commit ${sha}`)
    const commit = parseCommitObject(sha, object.data)
    const problem = problems.get(sha)
    let signer = problem?.signer?.identities[0]
    if (problem === undefined) {
      const verdict = await verifyCommitSignature(commit, trust, now)
      if (verdict.ok) signer = verdict.signer.identities[0] ?? verdict.signer.key
    }
    out.push({
      repo: repoId,
      sha,
      committedAt: commit.committer.date,
      author: formatIdent(commit.author),
      ...(signer === undefined ? {} : { signer }),
      signed: commit.signature !== undefined,
      verdict: problem?.problem ?? 'verified',
    })
  }
  return out
}
