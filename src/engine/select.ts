import type { Diagnostic } from '../core/index.js'

/** What selection needs to know about a policy. */
export interface Selectable {
  id: string
  stage?: 'stable' | 'experimental'
  sets?: readonly string[]
}

/**
 * Resolve `--policies`: a comma-separated list of set names (`all`, `pss-baseline`,
 * `pss-restricted`, `best-practices`, or any set a policy names) and policy ids.
 * `all` and named sets hold stable policies only; naming an experimental policy by id
 * selects it. `none` selects no policy of the library (for a run of `--policy-dir`'s policies
 * only; the caller refuses a run left with no policy at all). Unknown names are USAGE diagnostics.
 *
 * @example selectPolicies(specs, 'pss-baseline,require-resource-limits')
 */
export function selectPolicies<T extends Selectable>(
  policies: readonly T[],
  selector: string,
): { selected: T[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = []
  const chosen = new Set<string>()
  const names = selector
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
  if (names.length === 0) names.push('all')
  for (const name of names) {
    if (name === NONE) continue
    const byId = policies.find((p) => p.id === name)
    if (byId) {
      chosen.add(byId.id)
      continue
    }
    const members = policies.filter(
      (p) => (p.stage ?? 'stable') === 'stable' && (name === 'all' || (p.sets ?? []).includes(name)),
    )
    if (members.length === 0) {
      const known = [...new Set(['all', NONE, ...policies.flatMap((p) => p.sets ?? [])])].sort().join(', ')
      diagnostics.push({
        code: 'USAGE',
        message: `unknown policy or policy set "${name}"`,
        hint: `known sets: ${known}; or name a policy id (palisade policies list)`,
      })
      continue
    }
    for (const p of members) chosen.add(p.id)
  }
  return { selected: policies.filter((p) => chosen.has(p.id)), diagnostics }
}

/** The `--policies` name that selects no built-in policy. */
export const NONE = 'none'
