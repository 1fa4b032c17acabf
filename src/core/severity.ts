/** How bad a finding is. Ordered from least to most severe in {@link SEVERITIES}. */
export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical'

/** All severities, least severe first. */
export const SEVERITIES: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical']

/** 0 for info up to 4 for critical. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity)
}

/** Type guard for user input. */
export function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value)
}

/**
 * What happens to a failing finding: `deny` blocks (exit 1, admission denied),
 * `warn` is shown but passes, `audit` is recorded only.
 */
export type Action = 'deny' | 'warn' | 'audit'

/** All actions, weakest first. */
export const ACTIONS: readonly Action[] = ['audit', 'warn', 'deny']

/** Type guard for user input. */
export function isAction(value: unknown): value is Action {
  return typeof value === 'string' && (ACTIONS as readonly string[]).includes(value)
}

/** Outcome of one policy on one resource: `error` means it could not be evaluated, never a silent pass. */
export type Status = 'pass' | 'fail' | 'error' | 'skip'
