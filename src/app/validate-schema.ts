import { formatResourceRef, resourceRef, type Diagnostic } from '../core/index.js'
import type { LocatedResource } from '../pipeline/index.js'

/** Totals of a schema validation run. */
export interface SchemaSummary {
  kubernetesVersion: string
  valid: number
  invalid: number
  skipped: number
}

/**
 * `--validate-schema`: check every resource against the Kubernetes schema of its kind for
 * one version. Each invalid field is a SCHEMA_INVALID diagnostic at its line; kinds with no
 * schema (custom resources) are one SCHEMA_SKIPPED warning per kind, not failures.
 */
export async function validateSchemas(
  resources: readonly LocatedResource[],
  version: string,
  strict: boolean,
): Promise<{ diagnostics: Diagnostic[]; summary: SchemaSummary }> {
  // Loaded on use: the schema module and its JSON Schema validator are needed only with --validate-schema.
  const { loadValidator } = await import('../schema/index.js')
  const validator = await loadValidator(version, { strict })
  const diagnostics: Diagnostic[] = []
  const summary: SchemaSummary = { kubernetesVersion: version, valid: 0, invalid: 0, skipped: 0 }
  const skipped = new Map<string, { count: number; resource: LocatedResource; reason: string }>()
  for (const resource of resources) {
    const outcome = validator.validate(resource.object)
    if (outcome.status === 'valid') summary.valid++
    else if (outcome.status === 'skipped') {
      summary.skipped++
      const key = `${String(resource.object.apiVersion)} ${String(resource.object.kind)}`
      const entry = skipped.get(key)
      if (entry) entry.count++
      else skipped.set(key, { count: 1, resource, reason: outcome.reason })
    } else {
      summary.invalid++
      const ref = formatResourceRef(resourceRef(resource.object))
      for (const e of outcome.errors) {
        diagnostics.push({
          code: 'SCHEMA_INVALID',
          message: `${ref}: ${e.pointer || '/'} ${e.message} (Kubernetes ${version} schema)`,
          span: resource.locate(e.pointer),
        })
      }
    }
  }
  for (const { count, resource, reason } of skipped.values()) {
    diagnostics.push({
      code: 'SCHEMA_SKIPPED',
      severity: 'warning',
      message: `${reason}: ${count} object${count === 1 ? '' : 's'} not schema-checked`,
      span: resource.locate('/kind'),
      hint: 'custom resources are skipped, not failed',
    })
  }
  return { diagnostics, summary }
}
