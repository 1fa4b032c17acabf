import type { CheckResult } from '../core/index.js'
import { redactSecretsInString } from '../git/index.js'

/**
 * Mask credentials in every string a report prints of a result: finding messages,
 * resource names and namespaces, paths, files, fix values, waiver reasons, diagnostics
 * and the per-check records, with the masking code frames get (`redactSources` handles
 * the source texts). Done once, on the result, before any format sees it, so text, JSON,
 * SARIF, JUnit and Markdown all print the same masked strings. Idempotent.
 */
export function redactPrintedStrings(result: CheckResult): void {
  result.findings = result.findings.map(masked)
  result.diagnostics = result.diagnostics.map(masked)
  if (result.checks) result.checks = result.checks.map(masked)
}

/**
 * A value with every string in it masked. Objects and arrays without a secret are returned
 * as they are (no copy), so a clean result of 100,000 findings costs one keyword test per string.
 */
export function masked<T>(value: T): T {
  if (typeof value === 'string') return redactSecretsInString(value) as T
  if (Array.isArray(value)) {
    let out: unknown[] | undefined
    value.forEach((item: unknown, i) => {
      const m = masked(item)
      if (m !== item) (out ??= [...value])[i] = m
    })
    return (out ?? value) as T
  }
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const record = value as Record<string, unknown>
    let out: Record<string, unknown> | undefined
    for (const [key, item] of Object.entries(record)) {
      const m = masked(item)
      if (m !== item) (out ??= { ...record })[key] = m
    }
    return (out ?? value) as T
  }
  return value
}
