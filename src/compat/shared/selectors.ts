import { isRecord } from '../../core/index.js'
import { wildcardMatch } from './wildcard.js'

const str = (v: unknown): string => (typeof v === 'string' ? v : '')

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  if (isRecord(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x
  return out
}

/** Kubernetes label selector (matchLabels and matchExpressions); wildcards allowed in matchLabels as in Kyverno. */
export function selectorMatches(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  if (!isRecord(selector)) return false
  for (const [k, v] of Object.entries(stringMap(selector.matchLabels))) {
    const keys = Object.keys(labels).filter((l) => wildcardMatch(k, l))
    if (keys.length === 0 || !keys.some((l) => wildcardMatch(v, labels[l] as string))) return false
  }
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : []
  for (const e of expressions) {
    if (!isRecord(e)) return false
    const key = str(e.key)
    const values = Array.isArray(e.values) ? e.values.map(String) : []
    const has = Object.hasOwn(labels, key)
    const value = labels[key]
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(value as string)) return false
        break
      case 'NotIn':
        if (has && values.includes(value as string)) return false
        break
      case 'Exists':
        if (!has) return false
        break
      case 'DoesNotExist':
        if (has) return false
        break
      default:
        return false
    }
  }
  return true
}
