import { ACTIONS, escapePointerToken, type Action } from '../../core/index.js'
import type { ActionRules, PalisadeConfig } from '../../config/index.js'
import type { LocatedResource } from '../../pipeline/index.js'
import type { WeakeningChange } from './types.js'

const weaker = (before: Action | undefined, after: Action | undefined): boolean =>
  ACTIONS.indexOf(after ?? 'deny') < ACTIONS.indexOf(before ?? 'deny')

type ActionEntry = { pointer: string; label: string; action: Action | undefined }

/** Every action setting of a rules block, with the `then` of a schedule as its lasting action. */
function actionEntries(rules: ActionRules, at: string, label: string): ActionEntry[] {
  const out: ActionEntry[] = [{ pointer: `${at}/default`, label: `${label} default`, action: rules.default }]
  for (const [severity, action] of Object.entries(rules.severity ?? {}))
    out.push({ pointer: `${at}/severity/${severity}`, label: `${label} severity ${severity}`, action })
  for (const [id, rule] of Object.entries(rules.policies ?? {})) {
    out.push({
      pointer: `${at}/policies/${escapePointerToken(id)}`,
      label: `${label} policy ${id}`,
      action: typeof rule === 'string' ? rule : rule.action,
    })
  }
  return out
}

function allActions(config: PalisadeConfig): Map<string, ActionEntry> {
  const entries = actionEntries(config.actions, '/actions', 'global')
  config.environments.forEach((e, i) =>
    entries.push(...actionEntries(e.actions, `/environments/${i}/actions`, `environment ${e.name}`)),
  )
  return new Map(entries.map((e) => [e.label, e]))
}

const waiverKey = (w: PalisadeConfig['waivers'][number]): string =>
  JSON.stringify([w.policy, w.resources, w.environments ?? []])

/**
 * Palisade's own configuration softened: a policy disabled or deselected, an action
 * weakened (deny → warn or audit, warn → audit: globally, per severity, per policy or per
 * environment; a new non-deny setting for a policy or severity), a waiver added or extended, the
 * fail-on severity raised, a secret fingerprint allowed, a signing rule removed or a
 * signing group given new members, and requires-review findings made non-blocking.
 *
 * @param selected the policy ids a `policies.select` value selects
 */
export function detectConfigChanges(
  base: PalisadeConfig,
  head: PalisadeConfig,
  resource: LocatedResource,
  selected: (select: string) => ReadonlySet<string>,
): WeakeningChange[] {
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
    const now = selected(head.policies.select)
    const lost = [...selected(base.policies.select)].filter((id) => !now.has(id) && !disabled.includes(id))
    if (lost.length > 0)
      add(
        'palisadePolicyDisabled',
        `palisade.yaml selects "${head.policies.select}" instead of "${base.policies.select}", dropping ${lost.length} polic${lost.length === 1 ? 'y' : 'ies'}: ${lost.slice(0, 6).join(', ')}${lost.length > 6 ? ', ...' : ''}`,
        '/policies/select',
      )
  }
  const before = allActions(base)
  for (const [label, entry] of allActions(head)) {
    const old = before.get(label)
    if (old && weaker(old.action, entry.action))
      add(
        'palisadeActionSoftened',
        `palisade.yaml: ${label} action changed from ${old.action ?? 'deny'} to ${entry.action ?? 'deny'}`,
        entry.pointer,
      )
    else if (!old && entry.action !== undefined && entry.action !== 'deny' && !label.endsWith(' default'))
      add('palisadeActionSoftened', `palisade.yaml: ${label} now ${entry.action}s instead of denying`, entry.pointer)
  }
  const baseWaivers = new Map(base.waivers.map((w) => [waiverKey(w), w]))
  head.waivers.forEach((w, i) => {
    const old = baseWaivers.get(waiverKey(w))
    if (!old)
      add(
        'palisadeWaiverAdded',
        `palisade.yaml adds a waiver for ${w.policy} (owner ${w.owner}, until ${w.expires}): ${w.reason}`,
        `/waivers/${i}`,
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
  if (weaker(base.review?.action ?? 'warn', head.review?.action ?? 'warn'))
    add(
      'palisadeActionSoftened',
      `palisade.yaml: requires-review action changed from ${base.review?.action ?? 'warn'} to ${head.review?.action ?? 'warn'}`,
      '/review/action',
    )
  return changes
}
