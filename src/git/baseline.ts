import type { Finding } from '../core/index.js'

/**
 * Match the head's findings against the base's by fingerprint (policy, message, resource
 * identity and name-based path: no file, line or document order). Each base finding
 * matches at most one head finding, so a second copy of a problem is new. Returns the
 * head findings marked `new` or `existing`, and the base findings the head no longer
 * has (`fixed`).
 */
export function compareToBaseline(
  head: readonly Finding[],
  base: readonly Finding[],
): { findings: Finding[]; fixed: Finding[] } {
  const remaining = new Map<string, Finding[]>()
  for (const f of base) {
    const list = remaining.get(f.fingerprint)
    if (list) list.push(f)
    else remaining.set(f.fingerprint, [f])
  }
  const findings = head.map((f): Finding => {
    const list = remaining.get(f.fingerprint)
    const match = list?.shift()
    return { ...f, baseline: match ? 'existing' : 'new' }
  })
  const fixed = [...remaining.values()].flat()
  return { findings, fixed }
}
