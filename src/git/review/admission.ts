import { apiGroup, isRecord, type KubeObject } from '../../core/index.js'
import type { LocatedResource } from '../../pipeline/index.js'
import { describe } from './pairing.js'
import { kindOf, list, str, strings, type Detector, type WeakeningChange } from './types.js'

const WEBHOOKS = new Set(['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'])
const VAP = new Set(['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'])
const KYVERNO = new Set(['ClusterPolicy', 'Policy'])
const group = (o: KubeObject): string => apiGroup(typeof o.apiVersion === 'string' ? o.apiVersion : '')

/** True for the admission objects this detector follows. */
function isAdmission(o: KubeObject): boolean {
  const kind = kindOf(o)
  const g = group(o)
  return (
    (WEBHOOKS.has(kind) && g === 'admissionregistration.k8s.io') ||
    (VAP.has(kind) && g === 'admissionregistration.k8s.io') ||
    (KYVERNO.has(kind) && g === 'kyverno.io') ||
    g === 'constraints.gatekeeper.sh'
  )
}

const spec = (o: KubeObject): Record<string, unknown> => (isRecord(o.spec) ? o.spec : {})
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null)
const enforce = (action: unknown): boolean => typeof action === 'string' && action.toLowerCase() === 'enforce'

/**
 * Admission control removed or softened: a webhook configuration, ValidatingAdmissionPolicy
 * or its binding, Kyverno policy or Gatekeeper constraint deleted; a webhook or policy
 * rule removed; failurePolicy Fail → Ignore; a webhook's or policy's scope changed
 * (namespace/object selectors, match rules); a binding that no longer denies; Kyverno
 * Enforce → Audit; a Gatekeeper constraint no longer `deny`.
 */
export const detectAdmission: Detector = (pairs, _added, removed) => {
  const changes: WeakeningChange[] = []
  const change = (
    r: LocatedResource,
    messageId: string,
    message: string,
    path: string,
    side: 'base' | 'head' = 'head',
  ): void => {
    changes.push({ messageId, message, severity: 'high', resource: r, side, path })
  }
  for (const r of removed)
    if (isAdmission(r.object))
      change(
        r,
        'admissionRemoved',
        `${describe(r)} was deleted: what it checked is no longer checked at admission`,
        '',
        'base',
      )

  for (const { base, head } of pairs) {
    if (!isAdmission(head.object)) continue
    const kind = kindOf(head.object)
    const b = base.object
    const h = head.object
    if (WEBHOOKS.has(kind)) {
      const baseHooks = new Map(
        list(b.webhooks)
          .filter(isRecord)
          .map((w) => [str(w.name), w]),
      )
      const headHooks = list(h.webhooks).filter(isRecord)
      for (const name of baseHooks.keys())
        if (!headHooks.some((w) => str(w.name) === name))
          change(head, 'admissionRemoved', `${describe(head)}: webhook ${name} was removed`, '/webhooks')
      headHooks.forEach((w, i) => {
        const old = baseHooks.get(str(w.name))
        if (!old) return
        if ((str(old.failurePolicy) ?? 'Fail') === 'Fail' && str(w.failurePolicy) === 'Ignore')
          change(
            head,
            'admissionSoftened',
            `${describe(head)}: webhook ${str(w.name)} now lets requests through when it fails (failurePolicy Ignore)`,
            `/webhooks/${i}/failurePolicy`,
          )
        for (const field of [
          'rules',
          'namespaceSelector',
          'objectSelector',
          'matchConditions',
          'matchPolicy',
        ] as const) {
          if (!same(old[field], w[field]))
            change(
              head,
              'admissionScopeChanged',
              `${describe(head)}: webhook ${str(w.name)} changed its ${field}; check that it still covers what it did`,
              `/webhooks/${i}/${field}`,
            )
        }
      })
    } else if (kind === 'ValidatingAdmissionPolicy') {
      const bs = spec(b)
      const hs = spec(h)
      if ((str(bs.failurePolicy) ?? 'Fail') === 'Fail' && str(hs.failurePolicy) === 'Ignore')
        change(
          head,
          'admissionSoftened',
          `${describe(head)} now passes requests it cannot evaluate (failurePolicy Ignore)`,
          '/spec/failurePolicy',
        )
      const expressions = (s: Record<string, unknown>): string[] =>
        list(s.validations)
          .filter(isRecord)
          .map((v) => String(v.expression))
      const gone = expressions(bs).filter((e) => !expressions(hs).includes(e))
      if (gone.length > 0)
        change(
          head,
          'admissionSoftened',
          `${describe(head)}: ${gone.length} validation${gone.length === 1 ? '' : 's'} removed or changed`,
          '/spec/validations',
        )
      if (!same(bs.matchConstraints, hs.matchConstraints) || !same(bs.matchConditions, hs.matchConditions))
        change(
          head,
          'admissionScopeChanged',
          `${describe(head)} changed what it matches; check that it still covers what it did`,
          '/spec/matchConstraints',
        )
    } else if (kind === 'ValidatingAdmissionPolicyBinding') {
      const was = strings(spec(b).validationActions)
      const now = strings(spec(h).validationActions)
      if (was.includes('Deny') && !now.includes('Deny'))
        change(
          head,
          'admissionSoftened',
          `${describe(head)} no longer denies (validationActions ${now.join(', ') || 'none'})`,
          '/spec/validationActions',
        )
      if (!same(spec(b).matchResources, spec(h).matchResources) || !same(spec(b).policyName, spec(h).policyName))
        change(head, 'admissionScopeChanged', `${describe(head)} changed the policy or resources it binds`, '/spec')
    } else if (KYVERNO.has(kind)) {
      const bs = spec(b)
      const hs = spec(h)
      if (enforce(bs.validationFailureAction) && !enforce(hs.validationFailureAction))
        change(
          head,
          'admissionSoftened',
          `${describe(head)} switched from Enforce to ${str(hs.validationFailureAction) ?? 'Audit (the default)'}`,
          '/spec/validationFailureAction',
        )
      const rules = (s: Record<string, unknown>): Map<string | undefined, Record<string, unknown>> =>
        new Map(
          list(s.rules)
            .filter(isRecord)
            .map((r) => [str(r.name), r]),
        )
      const before = rules(bs)
      const after = rules(hs)
      for (const name of before.keys())
        if (!after.has(name))
          change(head, 'admissionSoftened', `${describe(head)}: rule ${name} was removed`, '/spec/rules')
      list(hs.rules).forEach((r, i) => {
        if (!isRecord(r)) return
        const old = before.get(str(r.name))
        const action = (x: Record<string, unknown> | undefined): unknown =>
          isRecord(x?.validate) ? x.validate.failureAction : undefined
        if (old && enforce(action(old)) && !enforce(action(r)))
          change(
            head,
            'admissionSoftened',
            `${describe(head)}: rule ${str(r.name)} switched from Enforce to ${String(action(r) ?? 'the policy default')}`,
            `/spec/rules/${i}/validate`,
          )
        if (old && (!same(old.match, r.match) || !same(old.exclude, r.exclude)))
          change(
            head,
            'admissionScopeChanged',
            `${describe(head)}: rule ${str(r.name)} changed its match or exclude`,
            `/spec/rules/${i}`,
          )
      })
    } else {
      const was = str(spec(b).enforcementAction) ?? 'deny'
      const now = str(spec(h).enforcementAction) ?? 'deny'
      if (was === 'deny' && now !== 'deny')
        change(head, 'admissionSoftened', `${describe(head)} switched from deny to ${now}`, '/spec/enforcementAction')
      if (!same(spec(b).match, spec(h).match))
        change(head, 'admissionScopeChanged', `${describe(head)} changed what it matches`, '/spec/match')
    }
  }
  return changes
}
