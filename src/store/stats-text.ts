import type { Stats } from './stats-types.js'

const hours = (h: number | null): string =>
  h === null ? '-' : h >= 48 ? `${(h / 24).toFixed(1)} d` : `${h.toFixed(1)} h`
const pct = (share: number | null): string => (share === null ? '-' : `${(share * 100).toFixed(1)}%`)

/** `palisade stats --format text`: one section per figure, plain columns. */
export function formatStatsText(s: Stats): string {
  const out: string[] = []
  const section = (title: string): void => void out.push('', title)
  out.push(`Palisade stats since ${s.since.slice(0, 10)}: ${s.runs} runs of ${s.repositories} repositories`)
  section(`Open findings: ${s.open.total}`)
  out.push(
    `  by severity: ${
      Object.entries(s.open.bySeverity)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || 'none'
    }`,
  )
  out.push(
    `  by environment: ${
      Object.entries(s.open.byEnvironment)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || 'none'
    }`,
  )
  section('New and fixed per week')
  for (const w of s.weekly)
    out.push(`  ${w.week}  new ${String(w.opened).padStart(5)}  fixed ${String(w.fixed).padStart(5)}`)
  if (s.weekly.length === 0) out.push('  (no changes)')
  section('Time to fix (mean / p90)')
  for (const t of s.timeToFix)
    out.push(
      `  ${t.severity.padEnd(9)} ${String(t.fixed).padStart(5)} fixed  mean ${hours(t.meanHours)}  p90 ${hours(t.p90Hours)}`,
    )
  if (s.timeToFix.length === 0) out.push('  (nothing fixed)')
  section(`Signed commits: ${s.signed.signed} of ${s.signed.commits} (${pct(s.signed.share)})`)
  section('Admission per day (denied / warned / audited)')
  for (const a of s.admission) out.push(`  ${a.day}  ${a.denied} / ${a.warned} / ${a.audited}`)
  if (s.admission.length === 0) out.push('  (no admission decisions recorded)')
  section(`Waivers: ${s.waivers.active} active, ${s.waivers.expiringSoon.length} expiring soon`)
  for (const w of s.waivers.expiringSoon)
    out.push(`  ${w.expires}  ${w.policy}  ${w.repo}  ${w.owner ?? ''}  ${w.reason}`)
  section('Rollout (policy per environment)')
  const ready = s.rollout.filter((r) => r.state === 'ready')
  const notReady = s.rollout.filter((r) => r.state === 'not-ready')
  out.push(
    `  ${s.rollout.filter((r) => r.state === 'enforced').length} enforced, ${ready.length} ready to enforce, ${notReady.length} not ready`,
  )
  for (const r of ready.slice(0, 20)) out.push(`  ready to enforce: ${r.policy} in ${r.environment} (now ${r.action})`)
  if (ready.length > 20) out.push(`  ... and ${ready.length - 20} more (--format json lists all)`)
  section('Delivery (from Git history of environment paths)')
  for (const d of s.delivery) {
    out.push(
      `  ${d.environment}: ${d.deployments} deployments (${d.perWeek}/week), lead time ${hours(d.leadTimeHours)}, change failure rate ${pct(d.changeFailureRate)}, time to restore ${hours(d.timeToRestoreHours)}`,
    )
  }
  if (s.delivery.length === 0)
    out.push('  (no deployments recorded: palisade history import with environment paths in palisade.yaml)')
  return `${out.join('\n')}\n`
}
