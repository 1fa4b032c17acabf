import type { Action, Finding, RenderRef } from '../core/index.js'

const STRICTNESS: Readonly<Record<Action, number>> = { deny: 3, warn: 2, audit: 1 }

/**
 * One finding per source location and policy: the same template line or base file rendered
 * by several applications (a base in four overlays, a chart in three environments) fails
 * the same way in each render. Findings with the same policy, message, file, line, column
 * and path are merged into the strictest one (not waived before waived, then deny, warn,
 * audit), which lists every render it appears in. Findings of rendered resources always
 * carry their `renders`; others are returned as they are. Keeps the input order.
 */
export function groupByLocation(
  findings: readonly Finding[],
  applicationOf: (finding: Finding) => string | undefined,
): Finding[] {
  const groups = new Map<string, { best: Finding; renders: RenderRef[]; seen: Set<string> }>()
  const order: (Finding | string)[] = []
  for (const finding of findings) {
    const application = applicationOf(finding)
    const span = finding.span
    if (application === undefined || span === undefined) {
      order.push(finding)
      continue
    }
    const key = [finding.policyId, finding.messageId, span.file, span.start.line, span.start.column, finding.path].join(
      '\u0000',
    )
    const render: RenderRef = {
      application,
      ...(finding.environment === undefined ? {} : { environment: finding.environment }),
      action: finding.action,
      ...(finding.waiver ? { waived: true as const } : {}),
    }
    const renderKey = JSON.stringify(render)
    const group = groups.get(key)
    if (!group) {
      groups.set(key, { best: finding, renders: [render], seen: new Set([renderKey]) })
      order.push(key)
      continue
    }
    if (!group.seen.has(renderKey)) {
      group.seen.add(renderKey)
      group.renders.push(render)
    }
    if (stricter(finding, group.best)) group.best = finding
  }
  return order.map((entry) => {
    if (typeof entry !== 'string') return entry
    const group = groups.get(entry) as { best: Finding; renders: RenderRef[] }
    return { ...group.best, renders: group.renders }
  })
}

function stricter(a: Finding, b: Finding): boolean {
  if ((a.waiver === undefined) !== (b.waiver === undefined)) return a.waiver === undefined
  return STRICTNESS[a.action] > STRICTNESS[b.action]
}
