import type { Severity } from '../core/index.js'
import type { Stats } from './stats-types.js'

/** Fixes with the same hours to fix, of one severity (fix_times summed over a period). */
export interface FixGroup {
  severity: Severity
  hours: number
  n: number
}

/**
 * Mean and p90 hours to fix, per severity (in the order given) and overall first, from
 * fixes grouped by hours. The same figures as PostgreSQL's avg and percentile_cont(0.9)
 * over one row per fix: the p90 sits at position 0.9 × (count − 1) of the sorted hours,
 * between the values on either side, interpolated as percentile_cont does.
 */
export function timeToFix(groups: readonly FixGroup[], round: (n: number) => number): Stats['timeToFix'] {
  const bySeverity = new Map<Severity, FixGroup[]>()
  for (const g of groups) bySeverity.set(g.severity, [...(bySeverity.get(g.severity) ?? []), g])
  const figures = (severity: Severity | 'all', list: readonly FixGroup[]): Stats['timeToFix'][number] => {
    const sorted = [...list].sort((a, b) => a.hours - b.hours)
    const count = sorted.reduce((s, g) => s + g.n, 0)
    const sum = sorted.reduce((s, g) => s + g.hours * g.n, 0)
    return { severity, fixed: count, meanHours: round(sum / count), p90Hours: round(percentile(sorted, count, 0.9)) }
  }
  const all = groups.filter((g) => g.n > 0)
  if (all.length === 0) return []
  return [
    figures('all', all),
    ...[...bySeverity.entries()].filter(([, l]) => l.some((g) => g.n > 0)).map(([s, l]) => figures(s, l)),
  ]
}

/** percentile_cont over groups sorted by hours: `count` values in all. */
function percentile(sorted: readonly FixGroup[], count: number, p: number): number {
  const position = p * (count - 1)
  const first = Math.floor(position)
  const second = Math.ceil(position)
  const at = (index: number): number => {
    let seen = 0
    for (const g of sorted) {
      seen += g.n
      if (index < seen) return g.hours
    }
    return sorted[sorted.length - 1]?.hours ?? 0
  }
  const low = at(first)
  return second === first ? low : low + (at(second) - low) * (position - first)
}
