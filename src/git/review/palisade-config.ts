import { ACTIONS, escapePointerToken, type Action } from '../../core/index.js'
import { withLayoutEnvironments, type PalisadeConfig } from '../../config/index.js'
import type { LocatedResource } from '../../pipeline/index.js'
import { actionSoftenings } from './palisade-actions.js'
import { detectScopeChanges } from './palisade-scope.js'
import type { WeakeningChange } from './types.js'

const weaker = (before: Action | undefined, after: Action | undefined): boolean =>
  ACTIONS.indexOf(after ?? 'deny') < ACTIONS.indexOf(before ?? 'deny')

const waiverKey = (w: PalisadeConfig['waivers'][number]): string =>
  JSON.stringify([w.policy, w.resources, w.environments ?? []])

/**
 * Palisade's own configuration softened: a policy disabled or deselected, an action
 * weakened as the resolver decides it (palisade-actions.ts), a waiver added or extended, the
 * fail-on severity raised, a secret fingerprint allowed, a signing rule removed or a
 * signing group given new members, requires-review findings made non-blocking, and the
 * scope changes of palisade-scope.ts (environments, errors mode, parameters, rendering,
 * image rules, review owners).
 *
 * @param selected the policy ids a `policies.select` value selects
 * @param now the day scheduled actions are judged on (and once every schedule has ended)
 */
export function detectConfigChanges(
  baseRead: PalisadeConfig,
  headRead: PalisadeConfig,
  resource: LocatedResource,
  selected: (select: string) => ReadonlySet<string>,
  now: Date,
): WeakeningChange[] {
  // Both sides as the scan applies them: without environments, the layout's.
  const base = withLayoutEnvironments(baseRead)
  const head = withLayoutEnvironments(headRead)
  const changes: WeakeningChange[] = []
  const add = (
    messageId: string,
    message: string,
    path: string,
    severity: WeakeningChange['severity'] = 'high',
  ): void => {
    changes.push({ messageId, message, severity, resource, side: 'head', path })
  }
  const disabled = head.policies.disable.filter((id) => !base.policies.disable.includes(id))
  for (const id of disabled)
    add(
      'palisadePolicyDisabled',
      `palisade.yaml disables policy ${id}`,
      `/policies/disable/${head.policies.disable.indexOf(id)}`,
    )
  if (base.policies.select !== head.policies.select) {
    const chosen = selected(head.policies.select)
    const lost = [...selected(base.policies.select)].filter((id) => !chosen.has(id) && !disabled.includes(id))
    if (lost.length > 0)
      add(
        'palisadePolicyDisabled',
        `palisade.yaml selects "${head.policies.select}" instead of "${base.policies.select}", dropping ${lost.length} polic${lost.length === 1 ? 'y' : 'ies'}: ${lost.slice(0, 6).join(', ')}${lost.length > 6 ? ', ...' : ''}`,
        '/policies/select',
      )
  }
  for (const softened of actionSoftenings(base, head, now))
    add('palisadeActionSoftened', softened.message, softened.pointer)
  const baseWaivers = new Map(base.waivers.map((w) => [waiverKey(w), w]))
  head.waivers.forEach((w, i) => {
    const old = baseWaivers.get(waiverKey(w))
    const broad = broadness(w, now)
    if (!old)
      add(
        'palisadeWaiverAdded',
        `palisade.yaml adds a waiver for ${w.policy}${broad} (owner ${w.owner}, until ${w.expires}): ${w.reason}`,
        `/waivers/${i}`,
        broad === '' ? 'high' : 'critical',
      )
    else if (w.expires > old.expires)
      add(
        'palisadeWaiverAdded',
        `palisade.yaml extends the waiver for ${w.policy} from ${old.expires} to ${w.expires}`,
        `/waivers/${i}/expires`,
      )
  })
  const order = ['info', 'low', 'medium', 'high', 'critical']
  if (order.indexOf(head.failOn ?? 'info') > order.indexOf(base.failOn ?? 'info'))
    add(
      'palisadeActionSoftened',
      `palisade.yaml raises failOn from ${base.failOn ?? 'info'} to ${head.failOn}`,
      '/failOn',
    )
  const allowed = new Set(base.secrets?.allow.map((a) => a.fingerprint))
  head.secrets?.allow.forEach((a, i) => {
    if (!allowed.has(a.fingerprint))
      add(
        'palisadeSecretAllowed',
        `palisade.yaml allows secret fingerprint ${a.fingerprint}: ${a.reason}`,
        `/secrets/allow/${i}`,
        'medium',
      )
  })
  const rules = (c: PalisadeConfig): string[] =>
    (c.signing?.rules ?? []).map((r) => JSON.stringify([r.paths, r.groups]))
  if (rules(base).some((r) => !rules(head).includes(r)))
    add('palisadeSigningRelaxed', 'palisade.yaml removes or changes a commit signing rule', '/signing/rules')
  for (const [group, members] of Object.entries(head.signing?.groups ?? {})) {
    const old = base.signing?.groups[group] ?? []
    const added = members.filter((m) => !old.includes(m))
    if (added.length > 0 && base.signing)
      add(
        'palisadeSigningRelaxed',
        `palisade.yaml adds ${added.join(', ')} to signing group ${group}`,
        `/signing/groups/${escapePointerToken(group)}`,
        'medium',
      )
  }
  detectScopeChanges(base, head, add)
  if (weaker(base.review?.action ?? 'warn', head.review?.action ?? 'warn'))
    add(
      'palisadeActionSoftened',
      `palisade.yaml: requires-review action changed from ${base.review?.action ?? 'warn'} to ${head.review?.action ?? 'warn'}`,
      '/review/action',
    )
  return changes
}

/** What makes a waiver more than one known, temporary exception: every policy, every resource, over a year. */
function broadness(w: PalisadeConfig['waivers'][number], now: Date): string {
  const every = [
    ...(w.policy === '*' ? ['every policy'] : []),
    ...(w.resources.kind === undefined && w.resources.name === undefined ? ['every resource'] : []),
  ]
  const yearOn = new Date(now.getTime() + 366 * 86_400_000).toISOString().slice(0, 10)
  const long = w.expires > yearOn ? ' for over a year' : ''
  return (every.length === 0 ? '' : ` covering ${every.join(' and ')}`) + long
}
