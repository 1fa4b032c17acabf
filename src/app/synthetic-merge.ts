import { checkSyntheticMerge, runGit, type Repository } from '../git/index.js'
import type { PrRange } from './pr-range.js'

/** The merge commit verify-commits did not require to be signed, and why (text and JSON reports). */
export interface SkippedMerge {
  commit: string
  firstParent: string
  secondParent: string
  /** The commits verified instead: the pull request's own (base..second parent). */
  verified: string
  reason: string
}

/** A merge at the tip that was verified like any commit, and why it was not taken as synthetic. */
export interface VerifiedMerge {
  commit: string
  reason: string
}

/**
 * The commits verify-commits checks for a range. When the tip is a synthetic merge onto the
 * base (a CI checkout of a pull request: first parent in the base, tree exactly git's merge
 * of the parents), the merge itself is left out and base..second parent is verified: every
 * other commit of the range, and nothing the merge could hide. Any other tip is verified as
 * it is; a merge tip says why it was not skipped.
 */
export async function pullRequestCommits(
  repo: Repository,
  range: PrRange,
): Promise<{ revList: string; skipped?: SkippedMerge; merge?: VerifiedMerge }> {
  if (range.baseId === undefined) return { revList: range.revList }
  const judged = await checkSyntheticMerge(repo, range.baseId, range.headId)
  if (!judged.synthetic)
    return judged.parents < 2
      ? { revList: range.revList }
      : {
          revList: range.revList,
          merge: { commit: range.headId, reason: `verified like any commit: ${judged.why}` },
        }
  const { merge } = judged
  const verified = `${range.baseId}..${merge.secondParent}`
  return {
    revList: verified,
    skipped: {
      commit: merge.commit,
      firstParent: merge.firstParent,
      secondParent: merge.secondParent,
      verified,
      reason:
        "a synthetic merge (CI's test merge of the pull request): its first parent is in the base, its tree is exactly git's merge of its two parents, and it changes only paths the pull request's commits changed, so it holds nothing the base and the pull request's own commits do not",
    },
  }
}

/** Which commit `scan --baseline REF` compares with, and why (text and JSON reports). */
export interface BaselineChoice {
  ref: string
  /** REF resolved. */
  refCommit: string
  /** The commit compared with. */
  commit: string
  how: 'synthetic-merge' | 'merge-base' | 'ref'
  reason: string
}

/**
 * The baseline of a pull request, as code hosts show its changes: when HEAD is a synthetic
 * merge onto REF, its first parent (REF's tip, or the older commit of REF the CI merged
 * onto); otherwise the merge base of REF and HEAD, so that what REF changed after the fork
 * is neither "new" nor "fixed" in the pull request. Without a merge base (unrelated
 * histories, a shallow clone) or without a HEAD, REF's tip, saying so.
 */
export async function chooseBaseline(repo: Repository, ref: string, refCommit: string): Promise<BaselineChoice> {
  const head = await runGit(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], { cwd: repo.cwd, okCodes: [0, 1] })
  const headId = head.stdout.toString('utf8').trim()
  const tip = (reason: string): BaselineChoice => ({ ref, refCommit, commit: refCommit, how: 'ref', reason })
  if (head.code !== 0) return tip(`${ref}'s tip: the repository has no HEAD commit`)
  if (headId === refCommit) return tip(`${ref}'s tip: it is HEAD`)
  const judged = await checkSyntheticMerge(repo, refCommit, headId)
  if (judged.synthetic)
    return {
      ref,
      refCommit,
      commit: judged.merge.firstParent,
      how: 'synthetic-merge',
      reason: `HEAD ${headId.slice(0, 12)} is a synthetic merge of the pull request ${judged.merge.secondParent.slice(0, 12)} onto ${ref}: compared with its first parent`,
    }
  const base = await runGit(['merge-base', '--end-of-options', refCommit, headId], {
    cwd: repo.cwd,
    okCodes: [0, 1, 128],
  })
  const mergeBase = base.stdout.toString('utf8').trim()
  if (base.code !== 0 || mergeBase === '')
    return tip(`${ref}'s tip: ${ref} and HEAD have no common commit (unrelated histories or a shallow clone)`)
  return {
    ref,
    refCommit,
    commit: mergeBase,
    how: 'merge-base',
    reason:
      mergeBase === refCommit
        ? `${ref}'s tip, where HEAD forked from it`
        : `the merge base of ${ref} and HEAD (where HEAD forked; ${ref} moved on since): what ${ref} changed after the fork is not the pull request's`,
  }
}
