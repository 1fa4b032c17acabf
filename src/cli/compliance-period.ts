import { ToolError } from '../core/index.js'
import type { Period } from '../compliance/index.js'
import { sinceArg } from './history-command.js'

/** --since (a date or 90d/12w) and --until (a date, inclusive: the period ends at the end of that day UTC; default now). */
export function periodArgs(flags: { since: string; until?: string; env?: string }, now: Date): Period {
  const since = sinceArg(flags.since, now)
  let until = now
  if (flags.until !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(flags.until) || Number.isNaN(Date.parse(`${flags.until}T00:00:00Z`)))
      throw new ToolError('USAGE', `--until: expected a date (YYYY-MM-DD), got "${flags.until}"`)
    until = new Date(Date.parse(`${flags.until}T00:00:00Z`) + 86_400_000)
  }
  if (until.getTime() <= since.getTime())
    throw new ToolError(
      'USAGE',
      `the period is empty: --since ${since.toISOString()} is not before --until ${until.toISOString()}`,
    )
  return { since, until, ...(flags.env === undefined ? {} : { env: flags.env }) }
}
