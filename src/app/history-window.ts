import type { ListedCommit } from './history-git.js'

/** `history import`'s default bound on the commits it scans in one run (~0.25 s each: about two minutes). */
export const DEFAULT_MAX_HISTORY_COMMITS = 500

/** What one import scans of a listed first-parent history, and what its bound leaves for later. */
export interface HistoryWindow {
  /** Hashes of the commits in the --since window (all when none). */
  inWindow: ReadonlySet<string>
  /** The commits to scan and record: the newest `max` of the window's not yet recorded, oldest first. */
  toScan: ListedCommit[]
  /** The window's commits not yet recorded and older than `toScan`: cut by the bound, left for a later run. */
  notImported: ListedCommit[]
  /** How many of the newest commits to read in full (messages, files): back to the oldest one scanned. */
  readCount: number
}

/**
 * Choose what one `history import` does from the listed history (oldest first). A commit is
 * in the --since window by its own committer date, whatever the dates around it: the dates
 * are the pusher's text (git's own `--since` stops walking at the first older commit, so one
 * back-dated commit hid every commit before it, and a date in the future must not hide
 * anything either). The bound keeps the newest commits, in the branch's order (not by date):
 * trends end today, and the next run goes on with the next older ones. Pure.
 */
export function historyWindow(
  listed: readonly ListedCommit[],
  options: { since?: Date; max: number; recorded: ReadonlySet<string> },
): HistoryWindow {
  const since = options.since?.getTime()
  const window = since === undefined ? listed : listed.filter((c) => c.committedAt.getTime() >= since)
  const pending = window.filter((c) => !options.recorded.has(c.sha))
  const cut = Math.max(0, pending.length - options.max)
  const toScan = pending.slice(cut)
  const oldest = toScan[0]
  return {
    inWindow: new Set(window.map((c) => c.sha)),
    toScan,
    notImported: pending.slice(0, cut),
    readCount: oldest === undefined ? 0 : listed.length - listed.indexOf(oldest),
  }
}
