import { ToolError } from '../core/index.js'
import { parseCommitObject } from './commit-object.js'
import { changedPaths, listCommits, readObjects, type Repository } from './repository.js'
import { checkCommit, type CommitFinding, type SigningRules, type TrustStore } from './verify-commit.js'

/** Outcome of `verify-commits` over a range. */
export interface RangeVerification {
  /** Every commit checked, oldest first. */
  commits: string[]
  findings: CommitFinding[]
}

/**
 * Verify every commit of a range: read the raw commit objects from git, verify their
 * signatures in-process, and apply the path rules to the paths each commit changed
 * (against its first parent).
 */
export async function verifyRange(
  repo: Repository,
  range: string,
  trust: TrustStore,
  rules: SigningRules,
  now: Date,
): Promise<RangeVerification> {
  const commits = await listCommits(repo, range)
  const objects = await readObjects(repo, commits)
  const findings: CommitFinding[] = []
  for (const [i, id] of commits.entries()) {
    const object = objects[i]
    if (!object || object.type !== 'commit') throw new ToolError('GIT_FAILED', `cannot read commit ${id}`)
    let commit
    try {
      commit = parseCommitObject(id, object.data)
    } catch (error) {
      throw new ToolError('GIT_FAILED', `commit ${id} is malformed`, { cause: error })
    }
    const paths = await changedPaths(repo, id, commit.parents[0])
    const finding = await checkCommit(commit, paths, trust, rules, now)
    if (finding) findings.push(finding)
  }
  return { commits, findings }
}
