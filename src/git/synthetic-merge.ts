import { ToolError } from '../core/index.js'
import { parseCommitObject } from './commit-object.js'
import { runGit } from './git-process.js'
import { changedPaths, readObjects, type Repository } from './repository.js'

/**
 * A merge commit a CI system made to test a pull request (GitHub's refs/pull/N/merge,
 * GitLab's merged-results pipelines): two parents, the first one the target branch (the
 * range's base, or an older commit of it), and a tree that is exactly what git's own merge
 * of the two parents gives. Nobody wrote anything in it: its content is the base's plus the
 * pull request's, so it need not be signed; the pull request's commits (base..second parent) must.
 */
export interface SyntheticMerge {
  commit: string
  /** The target branch's side (reachable from the base). */
  firstParent: string
  /** The pull request's head. */
  secondParent: string
  tree: string
}

/** Whether a commit is a synthetic merge onto a base, and if not, why not (said in reports). */
export type MergeJudgement =
  { synthetic: true; merge: SyntheticMerge } | { synthetic: false; parents: number; why: string }

/** What {@link judgeMerge} decides from, all read from git. */
export interface MergeFacts {
  commit: string
  parents: readonly string[]
  tree: string
  /** Whether the first parent is the base or an ancestor of it; unknown when git cannot tell (a shallow clone). */
  firstParentInBase: boolean | 'unknown'
  /** `git merge-tree --write-tree P1 P2`: the clean merge's tree, a conflict, or a git without it. */
  merged: { tree: string } | { conflict: true } | { unsupported: string }
  /** Paths the merge changed against its first parent. */
  mergePaths?: readonly string[]
  /** Paths the commits verified instead (base..P2) changed, each against its first parent: what the path rules saw. */
  prPaths?: readonly string[]
}

// A path in a report: quoted, with control and invisible format characters escaped (no terminal escapes, no bidi tricks).
const shownPath = (p: string): string =>
  `"${p.replace(/[\p{Cc}\p{Cf}"\\]/gu, (c) => `\\u{${(c.codePointAt(0) ?? 0).toString(16)}}`)}"`

/** The rule, pure: only an exact, clean, two-parent merge onto the base that changes no path the pull request's commits did not is synthetic. */
export function judgeMerge(facts: MergeFacts): MergeJudgement {
  const [first, second] = facts.parents
  const not = (why: string): MergeJudgement => ({ synthetic: false, parents: facts.parents.length, why })
  if (facts.parents.length !== 2 || first === undefined || second === undefined)
    return not(`it has ${facts.parents.length} parents (a synthetic merge has 2)`)
  if (facts.firstParentInBase === 'unknown')
    return not('git cannot tell whether its first parent is in the base (history not fetched: fetch-depth: 0)')
  if (!facts.firstParentInBase) return not('its first parent is not the base or an ancestor of it')
  const { merged } = facts
  if ('unsupported' in merged) return not(merged.unsupported)
  if ('conflict' in merged) return not('merging its parents conflicts (the resolution was written by someone)')
  if (merged.tree !== facts.tree)
    return not("its tree differs from git's merge of its parents (changes made in the merge)")
  // A rename on the base's side carries the PR's change to a path none of its commits touched: the path rules never saw it there.
  const seen = new Set(facts.prPaths ?? [])
  const unseen = (facts.mergePaths ?? []).filter((p) => !seen.has(p))
  if (facts.mergePaths === undefined || facts.prPaths === undefined || unseen.length > 0)
    return not(
      `it changes ${unseen.length > 0 ? shownPath(unseen[0] ?? '') : 'paths'} that none of the pull request's commits changed (a rename on the base's side), so the path rules would not see it there`,
    )
  return {
    synthetic: true,
    merge: { commit: facts.commit, firstParent: first, secondParent: second, tree: facts.tree },
  }
}

/**
 * Judge `head` (a resolved commit id) against `base` (a resolved commit id). Reads the
 * commit object, asks git whether its first parent is in the base (`merge-base
 * --is-ancestor`) and what merging its parents gives (`merge-tree --write-tree`, git 2.38+;
 * an older git is never trusted to skip: "unsupported").
 */
export async function checkSyntheticMerge(repo: Repository, base: string, head: string): Promise<MergeJudgement> {
  const [object] = await readObjects(repo, [head])
  if (!object || object.type !== 'commit') throw new ToolError('GIT_FAILED', `cannot read commit ${head}`)
  const commit = parseCommitObject(head, object.data)
  const facts = { commit: head, parents: commit.parents, tree: commit.tree }
  const [first, second] = commit.parents
  if (commit.parents.length !== 2 || first === undefined || second === undefined)
    return judgeMerge({ ...facts, firstParentInBase: false, merged: { conflict: true } })
  const ancestor = await runGit(['merge-base', '--is-ancestor', '--end-of-options', first, base], {
    cwd: repo.cwd,
    okCodes: [0, 1, 128],
  })
  if (ancestor.code !== 0)
    return judgeMerge({
      ...facts,
      firstParentInBase: ancestor.code === 1 ? false : 'unknown',
      merged: { conflict: true },
    })
  const [one, two] = await readObjects(repo, [first, second])
  const merged = one && two ? await mergedTree(repo, first, second) : { unsupported: NOT_FETCHED }
  if (!('tree' in merged) || merged.tree !== commit.tree)
    return judgeMerge({ ...facts, firstParentInBase: true, merged })
  return judgeMerge({
    ...facts,
    firstParentInBase: true,
    merged,
    mergePaths: await changedPaths(repo, head, first),
    prPaths: await pathsOfCommits(repo, `${base}..${second}`),
  })
}

/** Every path the commits of a range (resolved ids) changed, each commit against its first parent (a root commit: all its files). */
async function pathsOfCommits(repo: Repository, range: string): Promise<string[]> {
  const { stdout } = await runGit(
    ['log', '--format=', '--name-only', '-z', '--no-renames', '--diff-merges=first-parent', '--end-of-options', range],
    { cwd: repo.cwd },
  )
  return stdout
    .toString('utf8')
    .split('\0')
    .map((p) => p.replace(/^\n+/, ''))
    .filter((p) => p !== '')
}

const NOT_FETCHED = 'git cannot merge its parents (their history is not fetched: a shallow clone? fetch-depth: 0)'

/** `git merge-tree --write-tree`: exit 0 a clean merge (its tree on the first line), 1 conflicts, 129 an older git without the option. */
async function mergedTree(repo: Repository, first: string, second: string): Promise<MergeFacts['merged']> {
  const out = await runGit(['merge-tree', '--write-tree', '--no-messages', first, second], {
    cwd: repo.cwd,
    okCodes: [0, 1, 128, 129],
  })
  const tree = out.stdout.toString('utf8').split('\n')[0]?.trim() ?? ''
  // Both a conflict and a parent git cannot read exit 1; only a conflict prints the (conflicted) tree first.
  const printedTree = /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(tree)
  if (out.code === 1 && printedTree) return { conflict: true }
  if (out.code === 0 && printedTree) return { tree }
  if (out.code === 1 || out.code === 128) return { unsupported: NOT_FETCHED }
  return {
    unsupported: `this git cannot compute the merge (git merge-tree --write-tree exited ${out.code}; git 2.38+ needed)`,
  }
}
