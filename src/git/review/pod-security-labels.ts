import { escapePointerToken, isRecord } from '../../core/index.js'
import { describe } from './pairing.js'
import { kindOf, type Detector, type WeakeningChange } from './types.js'

const LEVELS = ['privileged', 'baseline', 'restricted'] as const
const MODES = ['enforce', 'audit', 'warn'] as const
const rank = (level: unknown): number =>
  typeof level === 'string' ? LEVELS.indexOf(level as (typeof LEVELS)[number]) : -1

/**
 * Pod Security Admission lowered: a Namespace's `pod-security.kubernetes.io/<mode>` label
 * (enforce, audit, warn) moved to a lower level, or was removed while it set more than
 * privileged (no label means privileged).
 */
export const detectPodSecurityLabels: Detector = (pairs) => {
  const changes: WeakeningChange[] = []
  for (const { base, head } of pairs) {
    if (kindOf(head.object) !== 'Namespace') continue
    const labels = (o: Record<string, unknown>): Record<string, unknown> =>
      isRecord(o.metadata) && isRecord(o.metadata.labels) ? o.metadata.labels : {}
    const before = labels(base.object)
    const after = labels(head.object)
    for (const mode of MODES) {
      const key = `pod-security.kubernetes.io/${mode}`
      const was = rank(before[key])
      const now = after[key] === undefined ? 0 : rank(after[key])
      if (was > 0 && now < was) {
        const to = after[key] === undefined ? 'removed (privileged)' : `"${String(after[key])}"`
        changes.push({
          messageId: 'podSecurityLowered',
          message: `${describe(head)}: Pod Security ${mode} level lowered from "${String(before[key])}" to ${to}`,
          severity: mode === 'enforce' ? 'high' : 'medium',
          resource: head,
          side: 'head',
          path: `/metadata/labels/${escapePointerToken(key)}`,
        })
      }
    }
  }
  return changes
}
