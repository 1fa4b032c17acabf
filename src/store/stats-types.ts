import type { Action, Severity } from '../core/index.js'

/** What `palisade stats` and the dashboard show. Durations are in hours, dates are ISO (UTC). */
export interface Stats {
  since: string
  generatedAt: string
  runs: number
  repositories: number
  open: { total: number; bySeverity: Partial<Record<Severity, number>>; byEnvironment: Record<string, number> }
  /** New and fixed findings per ISO week (Monday, UTC). */
  weekly: { week: string; opened: number; fixed: number }[]
  /** Time from a finding's opening (or reopening) to its fix, for fixes since `since`. */
  timeToFix: { severity: Severity | 'all'; fixed: number; meanHours: number; p90Hours: number }[]
  signed: { commits: number; signed: number; share: number | null }
  admission: { day: string; denied: number; warned: number; audited: number }[]
  waivers: { active: number; expiringSoon: WaiverRow[] }
  rollout: RolloutRow[]
  delivery: DeliveryRow[]
}

export interface WaiverRow {
  repo: string
  policy: string
  reason: string
  owner: string | null
  expires: string | null
  findings: number
}

/** A policy in one environment: how it is enforced, and whether it could be enforced. */
export interface RolloutRow {
  policy: string
  environment: string
  action: Action
  openFindings: number
  /** Last time it had a finding there (null: never). */
  lastFindingAt: string | null
  /** `enforced` (deny), `ready` (no finding for the configured days), `not-ready`. */
  state: 'enforced' | 'ready' | 'not-ready'
}

/** DORA-style delivery figures of one environment, from commits to its paths. */
export interface DeliveryRow {
  environment: string
  deployments: number
  perWeek: number
  /** Median hours from a change's authoring to its commit into the environment's paths. */
  leadTimeHours: number | null
  /** Share of deployments reverted within the window. */
  changeFailureRate: number | null
  /** Mean hours from a failed deployment to the commit that reverted it. */
  timeToRestoreHours: number | null
}

/** A finding that is open now, for the findings page. */
export interface OpenFindingRow {
  repo: string
  ref: string
  policy: string
  severity: Severity
  environment: string
  action: Action
  message: string
  file: string | null
  line: number | null
  kind: string | null
  namespace: string | null
  name: string | null
  waived: boolean
  firstSeenAt: string
  commit: string | null
}

/** Filters of the findings page; absent = any. */
export interface FindingFilter {
  environment?: string
  severity?: Severity
  policy?: string
  repo?: string
  limit?: number
}
