import { isRecord, type KubeObject } from '../../core/index.js'
import { CompatError } from '../shared/errors.js'
import type { ConstraintTemplate } from './template.js'

/** Gatekeeper's enforcement points, as scopedEnforcementActions name them. */
export type EnforcementPoint = 'validation.gatekeeper.sh' | 'audit.gatekeeper.sh' | 'gator.gatekeeper.sh' | 'vap.k8s.io'

/** Palisade's action for a Gatekeeper enforcement action. */
export type GatekeeperAction = 'deny' | 'warn' | 'audit'

/** A Constraint (constraints.gatekeeper.sh/v1beta1) of a template's kind. */
export interface Constraint {
  kind: string
  name: string
  match: Record<string, unknown>
  parameters: unknown
  /** The action at each enforcement point (deny, warn, dryrun mapped to audit). */
  actions: Readonly<Record<EnforcementPoint, GatekeeperAction | undefined>>
  object: KubeObject
}

const POINTS: readonly EnforcementPoint[] = [
  'validation.gatekeeper.sh',
  'audit.gatekeeper.sh',
  'gator.gatekeeper.sh',
  'vap.k8s.io',
]

function actionOf(a: unknown, where: string): GatekeeperAction {
  switch (typeof a === 'string' ? a.toLowerCase() : a) {
    case 'deny':
      return 'deny'
    case 'warn':
      return 'warn'
    case 'dryrun':
      return 'audit'
    default:
      throw new CompatError(
        'POLICY_INVALID',
        `${where}: enforcementAction ${JSON.stringify(a)} is not one of deny, warn, dryrun, scoped`,
      )
  }
}

/** Enforcement action per point: one action everywhere, or `scoped` with scopedEnforcementActions. */
function readActions(spec: Record<string, unknown>, where: string): Constraint['actions'] {
  const declared = spec.enforcementAction ?? 'deny'
  const out: Record<EnforcementPoint, GatekeeperAction | undefined> = {
    'validation.gatekeeper.sh': undefined,
    'audit.gatekeeper.sh': undefined,
    'gator.gatekeeper.sh': undefined,
    'vap.k8s.io': undefined,
  }
  if (declared !== 'scoped') {
    const a = actionOf(declared, where)
    for (const p of POINTS) out[p] = a
    return out
  }
  const scoped = Array.isArray(spec.scopedEnforcementActions) ? spec.scopedEnforcementActions : []
  if (scoped.length === 0)
    throw new CompatError('POLICY_INVALID', `${where}: enforcementAction scoped needs scopedEnforcementActions`)
  const rank: Record<GatekeeperAction, number> = { audit: 0, warn: 1, deny: 2 }
  for (const s of scoped) {
    if (!isRecord(s)) continue
    const a = actionOf(s.action, where)
    const points = Array.isArray(s.enforcementPoints)
      ? s.enforcementPoints.filter(isRecord).map((p) => String(p.name ?? ''))
      : []
    for (const p of points) {
      const targets = p === '*' ? POINTS : POINTS.filter((x) => x === p)
      for (const t of targets) {
        const prev = out[t]
        if (prev === undefined || rank[a] > rank[prev]) out[t] = a
      }
    }
  }
  return out
}

/** Read a constraint for its template; parameters are validated against the template's schema. */
export function readConstraint(doc: KubeObject, template: ConstraintTemplate): Constraint {
  const meta = isRecord(doc.metadata) ? doc.metadata : {}
  const name = String(meta.name ?? '')
  const kind = String(doc.kind ?? '')
  const where = `${kind} ${name}`
  const spec = isRecord(doc.spec) ? doc.spec : {}
  const parameters = spec.parameters
  if (template.validate && parameters !== undefined && !template.validate(parameters)) {
    const problems = (template.validate.errors ?? []).map(
      (e) => `spec.parameters${e.instancePath.replace(/\//g, '.')} ${e.message ?? 'is invalid'}`,
    )
    throw new CompatError(
      'POLICY_INVALID',
      `${where}: parameters do not match the schema of ConstraintTemplate ${template.name}: ${problems.join('; ')}`,
    )
  }
  return {
    kind,
    name,
    match: isRecord(spec.match) ? spec.match : {},
    parameters: parameters ?? {},
    actions: readActions(spec, where),
    object: doc,
  }
}
