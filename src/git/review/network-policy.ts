import { isRecord } from '../../core/index.js'
import type { LocatedResource } from '../../pipeline/index.js'
import { describe } from './pairing.js'
import { kindOf, list, strings, type Detector, type WeakeningChange } from './types.js'

const ALL_ADDRESSES = new Set(['0.0.0.0/0', '::/0'])

/** A label selector as a set of requirements (`key=value`, `key In (a,b)`, ...). */
function requirements(selector: unknown): Set<string> {
  const out = new Set<string>()
  if (!isRecord(selector)) return out
  if (isRecord(selector.matchLabels))
    for (const [k, v] of Object.entries(selector.matchLabels)) out.add(`${k}=${String(v)}`)
  for (const e of list(selector.matchExpressions)) {
    if (isRecord(e)) out.add(`${String(e.key)} ${String(e.operator)} (${strings(e.values).sort().join(',')})`)
  }
  return out
}

const subset = (a: ReadonlySet<string>, b: ReadonlySet<string>): boolean => [...a].every((x) => b.has(x))

/** A peer's selectors; undefined selector = not part of the peer. */
interface Peer {
  cidr?: string
  pod?: Set<string>
  namespace?: Set<string>
}

function peersOf(rule: Record<string, unknown>, field: 'from' | 'to'): Peer[] {
  return list(rule[field])
    .filter(isRecord)
    .map((p) => ({
      ...(isRecord(p.ipBlock) && typeof p.ipBlock.cidr === 'string' ? { cidr: p.ipBlock.cidr } : {}),
      ...(p.podSelector !== undefined ? { pod: requirements(p.podSelector) } : {}),
      ...(p.namespaceSelector !== undefined ? { namespace: requirements(p.namespaceSelector) } : {}),
    }))
}

/** True when `wide` selects every pod `narrow` selects and more (fewer requirements on the same selectors). */
function wider(wide: Peer, narrow: Peer): boolean {
  if (wide.cidr !== undefined || narrow.cidr !== undefined) return false
  const podWider =
    (wide.pod === undefined && narrow.pod === undefined) ||
    (wide.pod !== undefined && narrow.pod !== undefined && subset(wide.pod, narrow.pod))
  // No namespaceSelector means "this namespace only"; an empty one means "every namespace".
  const nsWider =
    (wide.namespace === undefined && narrow.namespace === undefined) ||
    (wide.namespace !== undefined &&
      (narrow.namespace === undefined ? wide.namespace.size === 0 : subset(wide.namespace, narrow.namespace)))
  const strictly =
    JSON.stringify([...(wide.pod ?? [])]) !== JSON.stringify([...(narrow.pod ?? [])]) ||
    (wide.namespace?.size ?? -1) !== (narrow.namespace?.size ?? -1)
  return podWider && nsWider && strictly
}

/**
 * NetworkPolicy loosened: a policy deleted, a rule opened to every address (0.0.0.0/0,
 * ::/0), to every source or destination (a rule without from/to), or to every port;
 * a peer selector widened (fewer requirements, or an empty namespaceSelector); the
 * policy's own podSelector narrowed (fewer pods isolated); a policy type dropped.
 */
export const detectNetworkPolicies: Detector = (pairs, _added, removed) => {
  const changes: WeakeningChange[] = []
  const change = (
    resource: LocatedResource,
    messageId: string,
    message: string,
    path: string,
    side: 'base' | 'head' = 'head',
    severity: WeakeningChange['severity'] = 'high',
  ): void => {
    changes.push({ messageId, message, severity, resource, side, path })
  }
  for (const r of removed) {
    if (kindOf(r.object) === 'NetworkPolicy')
      change(
        r,
        'networkPolicyDeleted',
        `${describe(r)} was deleted; the traffic it restricted is no longer restricted by it`,
        '',
        'base',
      )
  }
  for (const { base, head } of pairs) {
    if (kindOf(head.object) !== 'NetworkPolicy') continue
    const bs = isRecord(base.object.spec) ? base.object.spec : {}
    const hs = isRecord(head.object.spec) ? head.object.spec : {}
    const before = requirements(bs.podSelector)
    const after = requirements(hs.podSelector)
    if (subset(before, after) && after.size > before.size)
      change(
        head,
        'networkPolicyScopeNarrowed',
        `${describe(head)} now isolates fewer pods (podSelector gained ${[...after].filter((x) => !before.has(x)).join(', ')})`,
        '/spec/podSelector',
      )
    const types = (s: Record<string, unknown>): string[] =>
      Array.isArray(s.policyTypes)
        ? strings(s.policyTypes)
        : s.egress !== undefined
          ? ['Ingress', 'Egress']
          : ['Ingress']
    for (const t of types(bs))
      if (!types(hs).includes(t))
        change(
          head,
          'networkPolicyTypeDropped',
          `${describe(head)} no longer restricts ${t.toLowerCase()} traffic (policyType ${t} removed)`,
          '/spec/policyTypes',
        )

    for (const [direction, field] of [
      ['ingress', 'from'],
      ['egress', 'to'],
    ] as const) {
      const baseRules = list(bs[direction]).filter(isRecord)
      const basePeers = baseRules.flatMap((r) => peersOf(r, field))
      const baseOpen = baseRules.some((r) => list(r[field]).length === 0)
      const baseAllPorts = baseRules.some((r) => list(r.ports).length === 0)
      list(hs[direction]).forEach((rule, i) => {
        if (!isRecord(rule)) return
        const at = `/spec/${direction}/${i}`
        if (list(rule[field]).length === 0 && !baseOpen)
          change(
            head,
            'networkPolicyAllowAll',
            `${describe(head)} now allows ${direction} ${field} anywhere (rule ${i} has no ${field})`,
            at,
            'head',
            'critical',
          )
        if (list(rule.ports).length === 0 && !baseAllPorts && list(rule[field]).length > 0)
          change(
            head,
            'networkPolicyPortsOpened',
            `${describe(head)} now allows ${direction} on every port (rule ${i} has no ports)`,
            at,
          )
        peersOf(rule, field).forEach((peer, j) => {
          const where = `${at}/${field}/${j}`
          if (peer.cidr !== undefined && ALL_ADDRESSES.has(peer.cidr) && !basePeers.some((b) => b.cidr === peer.cidr)) {
            change(
              head,
              'networkPolicyOpenCidr',
              `${describe(head)} now allows ${direction} ${field} ${peer.cidr} (every address)`,
              `${where}/ipBlock/cidr`,
              'head',
              'critical',
            )
          } else if (
            basePeers.some((b) => wider(peer, b)) ||
            (peer.namespace?.size === 0 && !basePeers.some((b) => b.namespace?.size === 0))
          ) {
            change(
              head,
              'networkPolicySelectorWidened',
              `${describe(head)} widened a ${direction} peer selector (rule ${i}, peer ${j}): more pods or namespaces are allowed`,
              where,
            )
          }
        })
      })
    }
  }
  return changes
}
