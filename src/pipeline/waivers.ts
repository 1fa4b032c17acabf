import { isRecord, type Diagnostic, type KubeObject, type WaiverRef } from '../core/index.js'

/** Annotation prefix for inline waivers: `waive.palisade.dev/<policy-id>: "<reason>"`. */
export const WAIVER_ANNOTATION_PREFIX = 'waive.palisade.dev/'

/**
 * Inline waivers of a resource, by policy id. An annotation without a reason waives
 * nothing and is reported (WAIVER_INVALID), because an accepted risk needs a reason.
 */
export function inlineWaivers(
  object: KubeObject,
  locate: (pointer: string) => Diagnostic['span'],
): { waivers: Map<string, WaiverRef>; diagnostics: Diagnostic[] } {
  const waivers = new Map<string, WaiverRef>()
  const diagnostics: Diagnostic[] = []
  const meta = isRecord(object.metadata) ? object.metadata : undefined
  const annotations = meta && isRecord(meta.annotations) ? meta.annotations : undefined
  if (!annotations) return { waivers, diagnostics }
  for (const [key, value] of Object.entries(annotations)) {
    if (!key.startsWith(WAIVER_ANNOTATION_PREFIX)) continue
    const policyId = key.slice(WAIVER_ANNOTATION_PREFIX.length)
    const reason = typeof value === 'string' ? value.trim() : ''
    if (reason === '') {
      const span = locate(`/metadata/annotations/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`)
      diagnostics.push({
        code: 'WAIVER_INVALID',
        message: `inline waiver for ${policyId} has no reason; it waives nothing`,
        hint: `write the reason as the annotation value: ${key}: "why this risk is accepted"`,
        ...(span ? { span } : {}),
      })
      continue
    }
    waivers.set(policyId, { source: 'annotation', reason })
  }
  return { waivers, diagnostics }
}
