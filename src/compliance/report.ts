import { CONTROLS, FRAMEWORK_TITLES, type Framework } from '../core/index.js'
import type { PolicySpec } from '../engine/index.js'
import type { SqlQueryable } from '../store/index.js'
import { periodFigures, policyFigures, type Period, type PeriodFigures, type PolicyFigures } from './queries.js'

/** Frameworks a compliance report can be produced for (the Pod Security Standards are a profile, not an audit framework). */
export const REPORT_FRAMEWORKS = ['cis', 'nsa', 'soc2', 'pci', 'nist'] as const
export type ReportFramework = (typeof REPORT_FRAMEWORKS)[number]

/**
 * A control's state over the period. `not-covered`: no built-in policy implements it (never passing);
 * `gap`: its policies were not in force in any recorded run; `open-findings`: findings open at the end;
 * `in-force`: its policies ran and nothing is open.
 */
export type ControlStatus = 'not-covered' | 'gap' | 'open-findings' | 'in-force'

export interface ControlReport {
  id: string
  title: string
  status: ControlStatus
  policies: ({ id: string; title: string; severity: string } & PolicyFigures)[]
}

/** A day range without any recorded run. */
export interface Gap {
  from: string
  to: string
  days: number
}

export interface ComplianceReport {
  framework: ReportFramework
  title: string
  period: { since: string; until: string; env?: string }
  generatedAt: string
  policyDigest: string
  summary: Record<ControlStatus, number> & { controls: number }
  gaps: Gap[]
  runs: PeriodFigures
  controls: ControlReport[]
}

const DAY = 86_400_000
const day = (d: Date): string => d.toISOString().slice(0, 10)

/** Days of [since, until) with no run, as ranges. A period without any run is one gap. */
export function gapsOf(period: Period, runDays: readonly string[]): Gap[] {
  const have = new Set(runDays)
  const gaps: Gap[] = []
  for (let t = Date.parse(`${day(period.since)}T00:00:00Z`); t < period.until.getTime(); t += DAY) {
    const d = day(new Date(t))
    if (have.has(d)) continue
    const last = gaps.at(-1)
    if (last && Date.parse(`${last.to}T00:00:00Z`) + DAY === t) {
      last.to = d
      last.days += 1
    } else gaps.push({ from: d, to: d, days: 1 })
  }
  return gaps
}

/** Pure: the report from the policy set, the store's figures and the catalogue of controls. */
export function assembleReport(input: {
  framework: ReportFramework
  policies: readonly PolicySpec[]
  policyDigest: string
  period: Period
  now: Date
  perPolicy: Map<string, PolicyFigures>
  figures: PeriodFigures
}): ComplianceReport {
  const { framework, period } = input
  const controls: ControlReport[] = CONTROLS.filter((c) => c.framework === framework).map((c) => {
    const policies = input.policies
      .filter((p) => p.controls.some((ref) => ref.framework === framework && ref.control === c.id))
      .map((p) => ({
        id: p.id,
        title: p.title,
        severity: p.severity,
        ...(input.perPolicy.get(p.id) ?? {
          runs: 0,
          opened: 0,
          fixed: 0,
          openNow: 0,
          admission: { denied: 0, warned: 0, audited: 0 },
          waivers: [],
        }),
      }))
    const status: ControlStatus =
      policies.length === 0
        ? 'not-covered'
        : policies.every((p) => p.runs === 0)
          ? 'gap'
          : policies.some((p) => p.openNow > 0)
            ? 'open-findings'
            : 'in-force'
    return { id: c.id, title: c.title, status, policies }
  })
  const summary = { controls: controls.length, 'not-covered': 0, gap: 0, 'open-findings': 0, 'in-force': 0 }
  for (const c of controls) summary[c.status] += 1
  return {
    framework,
    title: FRAMEWORK_TITLES[framework as Framework],
    period: {
      since: period.since.toISOString(),
      until: period.until.toISOString(),
      ...(period.env === undefined ? {} : { env: period.env }),
    },
    generatedAt: input.now.toISOString(),
    policyDigest: input.policyDigest,
    summary,
    gaps: gapsOf(period, input.figures.runDays),
    runs: input.figures,
    controls,
  }
}

/** Read the store and build the report of one framework over the period. */
export async function complianceReport(
  db: SqlQueryable,
  options: {
    framework: ReportFramework
    policies: readonly PolicySpec[]
    policyDigest: string
    period: Period
    now: Date
  },
): Promise<ComplianceReport> {
  const [perPolicy, figures] = [await policyFigures(db, options.period), await periodFigures(db, options.period)]
  return assembleReport({ ...options, perPolicy, figures })
}
