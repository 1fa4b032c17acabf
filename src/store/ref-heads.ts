/**
 * The latest run of a repository and ref: the one place that says which it is
 * (docs/store.md, "The latest run of a ref"). A ref's head is kept in `ref_heads` as runs
 * are recorded; every query that means "the ref's latest run" (waivers, rollout actions,
 * open findings) reads it, none orders `runs` itself.
 *
 * A run becomes its ref's head when its commit is at least as far along the ref's
 * first-parent history as the head's (`position`, 1 for the root commit): a back-dated tip
 * still follows its parent, and a past commit recorded later (`history import`, a CI re-run
 * of an old job) does not replace the head. When either position is unknown (a shallow
 * clone, no Git), the later start time decides, as before positions were recorded. Ties
 * (the same commit scanned again) go to the run recorded last. A live run whose commit Git
 * found on neither side of the head's (the ref was rewritten: a force-push, a squash) names
 * that head's run (`RunMeta.rewrites`) and replaces it, whatever the positions.
 */

/** Setting local to the run's transaction: '1' when the run being written is its ref's head. */
export const HEAD_SETTING = 'palisade.ref_head'
/** Setting local to the run's transaction: the time its lifecycle events carry. */
export const AT_SETTING = 'palisade.lifecycle_at'

/** The SQL condition "the run being written is its ref's head" (stable: evaluated once). */
export const IS_HEAD = `current_setting('${HEAD_SETTING}') = '1'`
/**
 * The run's lifecycle time: its start, or its previous head's time when that is later (a
 * back-dated tip). A ref's head times never go back, so no time to fix is negative.
 */
export const LIFECYCLE_AT = `current_setting('${AT_SETTING}')::timestamptz`

/**
 * Decide, under the ref's advisory lock and after the run's INSERT, whether it becomes the
 * head, and its lifecycle time. $1 repo, $2 ref, $3 started_at, $4 position (or NULL), $5 the
 * head run this run rewrites (or NULL): it wins only while that run is still the head (another
 * run that took the head since Git was asked is ordered by the usual rule). Answers one row:
 * `head` ('1' or '0').
 */
export const DECIDE_HEAD_SQL = `SELECT set_config('${HEAD_SETTING}', CASE WHEN d.head THEN '1' ELSE '0' END, true) AS head,
       set_config('${AT_SETTING}', GREATEST($3::timestamptz, d.at)::text, true) AS at
  FROM (SELECT h.run_id IS NULL
               OR h.run_id = $5::bigint
               OR CASE WHEN $4::int IS NOT NULL AND h.position IS NOT NULL THEN $4::int >= h.position
                       ELSE $3::timestamptz >= h.at END AS head,
               h.at
          FROM (SELECT 1) one LEFT JOIN ref_heads h ON h.repo = $1 AND h.ref = $2) d`

/** The latest run of each repository and ref: its id, repo and ref. */
export const LATEST_RUNS = 'SELECT run_id AS id, repo, ref FROM ref_heads'

/** Migration 5: the position of each run's commit, and of each head's. Adds columns only. */
export const POSITION_SQL = `
ALTER TABLE runs ADD COLUMN position integer;
ALTER TABLE ref_heads ADD COLUMN position integer;
`

/** The commit of a ref's latest run, and that run's id: what `scan --record` asks Git about. */
export const HEAD_COMMIT_SQL = `SELECT h.run_id::int AS run_id, r.commit_sha FROM ref_heads h JOIN runs r ON r.id = h.run_id
  WHERE h.repo = $1 AND h.ref = $2`
