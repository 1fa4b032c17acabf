import { ACTIONS, SEVERITIES, escapePointerToken, type Action, type Severity } from '../../core/index.js'
import { createResolver, type PalisadeConfig } from '../../config/index.js'

/** An action that became weaker, at the head's setting that now decides it. */
export interface ActionSoftening {
  pointer: string
  message: string
}

// After every schedule's `until`: the lasting action of `{action, until, then}`.
const LASTING = new Date('9999-12-31T00:00:00Z')
// A policy id no configuration names: the action of every policy that palisade.yaml does not name.
const OTHER = ''

const weaker = (before: Action, after: Action): boolean => ACTIONS.indexOf(after) < ACTIONS.indexOf(before)

/**
 * Actions that a finding would get weaker at the head than at the base, compared as the
 * resolver decides them (per policy, severity and environment, today and once every
 * schedule has ended), not entry by entry: so a removed `deny` that lets a weaker global
 * setting through, a new environment default, or a schedule whose warn period is extended
 * or whose `then` softens is found too. One result per head setting that decides the
 * weaker action.
 */
export function actionSoftenings(base: PalisadeConfig, head: PalisadeConfig, now: Date): ActionSoftening[] {
  const ids = new Set<string>([OTHER])
  for (const config of [base, head])
    for (const rules of [config.actions, ...config.environments.map((e) => e.actions)])
      for (const id of Object.keys(rules.policies ?? {})) ids.add(id)
  const envs = [undefined, ...new Set([...base.environments, ...head.environments].map((e) => e.name))]
  const found = new Map<string, { from: Action; to: Action; what: string; where: Set<string>; later: boolean }>()
  for (const when of [now, LASTING]) {
    const before = createResolver(base, when)
    const after = createResolver(head, when)
    for (const env of envs)
      for (const id of ids)
        for (const severity of SEVERITIES) {
          const from = before.actionFor(id, severity, env)
          const to = after.actionFor(id, severity, env)
          if (!weaker(from, to)) continue
          const pointer = decidingSetting(head, id, severity, env)
          const entry = found.get(pointer) ?? {
            from,
            to,
            what:
              id !== OTHER
                ? `policy ${id}`
                : pointer.endsWith('/severity/' + severity)
                  ? `findings of severity ${severity}`
                  : 'every policy palisade.yaml does not name',
            where: new Set<string>(),
            later: when === LASTING,
          }
          entry.where.add(env ?? 'no environment')
          found.set(pointer, entry)
        }
  }
  return [...found].map(([pointer, e]) => ({
    pointer,
    message: `palisade.yaml: ${e.what} now ${e.to} instead of ${e.from} (${[...e.where].join(', ')})${e.later ? ' once its schedule ends' : ''}`,
  }))
}

/** JSON Pointer of the head's setting that decides this action (the resolver's order), or of the block that lacks one. */
function decidingSetting(config: PalisadeConfig, id: string, severity: Severity, env: string | undefined): string {
  const i = env === undefined ? -1 : config.environments.findIndex((e) => e.name === env)
  const local = i >= 0 ? config.environments[i]?.actions : undefined
  const at = `/environments/${i}/actions`
  if (id !== OTHER && local?.policies?.[id] !== undefined) return `${at}/policies/${escapePointerToken(id)}`
  if (id !== OTHER && config.actions.policies?.[id] !== undefined) return `/actions/policies/${escapePointerToken(id)}`
  if (local?.severity?.[severity] !== undefined) return `${at}/severity/${severity}`
  if (config.actions.severity?.[severity] !== undefined) return `/actions/severity/${severity}`
  if (local?.default !== undefined) return `${at}/default`
  if (config.actions.default !== undefined) return '/actions/default'
  return i >= 0 ? at : '/actions'
}
