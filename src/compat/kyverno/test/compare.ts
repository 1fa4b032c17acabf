import { isRecord, jsonEqual } from '../../../core/index.js'

// How Kyverno's test runner compares resources: after tidying, field by field.

/** Drop nulls, empty maps and empty lists (recursively), as the Kyverno CLI does before comparing resources. */
export function tidy(value: unknown): unknown {
  if (Array.isArray(value)) {
    const out = value.map(tidy).filter((v) => v !== undefined)
    return out.length === 0 ? undefined : out
  }
  if (isRecord(value)) {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) {
      const t = tidy(v)
      if (t !== undefined) out[k] = t
    }
    return Object.keys(out).length === 0 ? undefined : out
  }
  return value === null ? undefined : value
}

const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v).slice(0, 80))

/** The JSON Pointer of the first place two values differ. */
export function firstDifference(
  a: unknown,
  b: unknown,
  path: string,
): { path: string; expected: string; actual: string } | undefined {
  if (jsonEqual(a, b)) return undefined
  if (isRecord(a) && isRecord(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const d = firstDifference(a[k], b[k], `${path}/${k}`)
      if (d) return d
    }
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], b[i], `${path}/${i}`)
      if (d) return d
    }
  }
  return { path, expected: show(a), actual: show(b) }
}
