/**
 * The parts of an object a cross-resource (checkAll) policy reads, for its `reads`
 * declaration: a streaming scan keeps these until the run's end instead of whole objects.
 * Each part keeps the object's shape (same keys at the same places), so the check's
 * readers (kindOf, nameOf, podViewOf, ...) and the paths it reports mean the same.
 */
import { isRecord, type KubeObject } from '../../core/index.js'
import { podViewOf } from './index.js'

/** apiVersion, kind, metadata.name and metadata.namespace (those present, as they are). */
export function identityPart(object: KubeObject): KubeObject {
  const part: Record<string, unknown> = {}
  if ('apiVersion' in object) part.apiVersion = object.apiVersion
  if ('kind' in object) part.kind = object.kind
  if ('metadata' in object)
    part.metadata = isRecord(object.metadata) ? nameAndNamespace(object.metadata) : object.metadata
  return part as KubeObject
}

/** The identity plus the named top-level fields (a NetworkPolicy's spec, a binding's roleRef). */
export function withFields(object: KubeObject, fields: readonly string[]): KubeObject {
  const part = identityPart(object) as Record<string, unknown>
  for (const field of fields) if (field in object) part[field] = object[field]
  return part as KubeObject
}

/**
 * What runs pods, reduced to its identity and the named fields of its pod spec, at the same
 * place (a Deployment's `spec.template.spec`, a Pod's `spec`). Undefined for what runs no pods.
 */
export function podPart(object: KubeObject, specFields: readonly string[]): KubeObject | undefined {
  const view = podViewOf(object)
  if (!view) return undefined
  const part = identityPart(object) as Record<string, unknown>
  const spec = view.object.spec
  const keptSpec = isRecord(spec) ? pick(spec, specFields) : spec
  if (view.prefix === '') {
    part.spec = keptSpec
    return part as KubeObject
  }
  // Rebuild the path to the template (spec/template, spec/jobTemplate/spec/template) with only what leads there.
  const keys = view.prefix.slice(1).split('/')
  let from: unknown = object
  let to = part
  keys.forEach((key, i) => {
    from = isRecord(from) ? from[key] : undefined
    if (i < keys.length - 1) {
      const next: Record<string, unknown> = {}
      to[key] = next
      to = next
      return
    }
    const template = from as Record<string, unknown>
    const leaf: Record<string, unknown> = { spec: keptSpec }
    if (isRecord(template.metadata)) leaf.metadata = nameAndNamespace(template.metadata)
    to[key] = leaf
  })
  return part as KubeObject
}

function nameAndNamespace(metadata: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return pick(metadata, ['name', 'namespace'])
}

function pick(record: Readonly<Record<string, unknown>>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const key of keys) if (key in record) out[key] = record[key]
  return out
}
