import { runGit } from '../git/index.js'
import type { Store } from '../store/index.js'
import type { RunOrigin } from './run-origin.js'

/**
 * How a live run's commit stands to the commit of its ref's latest run (docs/store.md, "The
 * latest run of a ref"):
 * - `rewritten`: Git knows both and neither is an ancestor of the other (a force-push to
 *   another history, a squash): the run replaces that head (`rewrites`) whatever the positions;
 * - `unknown-head`: the head's commit is not in this clone (shallow, pruned): Git cannot tell,
 *   positions and times decide as usual;
 * - `same-history`: anything else (no head, no commit, one history), the usual rule.
 */
export type RefRewrite =
  | { kind: 'rewritten'; rewrites: number; headCommit: string }
  | { kind: 'unknown-head'; headCommit: string }
  | { kind: 'same-history' }

const SAME: RefRewrite = { kind: 'same-history' }
const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/

/** Ask the store for the ref's head and Git how the run's commit stands to it. */
export async function refRewrite(store: Pick<Store, 'refHead'>, origin: RunOrigin): Promise<RefRewrite> {
  if (origin.commit === undefined) return SAME
  const head = await store.refHead(origin.repo, origin.ref)
  // A head without a commit (a folder outside Git) or not an object id is not Git's to judge.
  if (head?.commit === undefined || !SHA.test(head.commit) || head.commit === origin.commit) return SAME
  const isAncestor = async (a: string, b: string): Promise<number> =>
    (
      await runGit(['merge-base', '--is-ancestor', '--end-of-options', a, b], {
        cwd: origin.root,
        okCodes: [0, 1, 128],
      })
    ).code
  const forward = await isAncestor(head.commit, origin.commit)
  // 128: the head's commit is not an object here (the run's own commit is HEAD, it is).
  if (forward === 128) return { kind: 'unknown-head', headCommit: head.commit }
  if (forward === 0) return SAME
  // A re-run of an older commit of the same history is not a rewrite.
  if ((await isAncestor(origin.commit, head.commit)) === 0) return SAME
  return { kind: 'rewritten', rewrites: head.runId, headCommit: head.commit }
}
