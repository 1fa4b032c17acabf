import { apiGroup, isRecord, resourceRef, type KubeObject, type SourceSpan } from '../core/index.js'
import type { LocatedResource } from '../pipeline/index.js'
import { parseManifests, stringifyManifests } from '../yaml/index.js'
import { gitopsOwner } from './gitops-owner.js'

/**
 * Where a live object is reported: `k8s://<context>/<namespace>/<Kind>/<name>` (namespace
 * `_cluster` for cluster-scoped objects), the "file" of its findings.
 */
export function livePath(context: string, object: KubeObject): string {
  const ref = resourceRef(object)
  return `k8s://${context}/${ref.namespace ?? '_cluster'}/${ref.kind}/${ref.name}`
}

/** The object as YAML, the text its findings' lines and code frames point into. */
export function liveText(object: KubeObject): string {
  return stringifyManifests([object])
}

/**
 * Live objects as resources the pipeline checks, for one run: each with its environment and
 * a `locate` that writes the object as YAML and parses it only when a finding asks for a
 * position (10,000 clean objects cost no YAML). Only the last parsed object is kept (the
 * pipeline places an object's findings together), so memory stays flat however many objects
 * have findings. Argo CD / Flux managed objects carry their application as `application`.
 *
 * @example
 * const toResource = liveResources('prod')
 * const resource = toResource(pod, 'production')
 */
export function liveResources(
  context: string,
): (object: KubeObject, environment: string | undefined) => LocatedResource {
  let last: { object: KubeObject; locate: (pointer: string) => SourceSpan } | undefined
  const locateIn = (object: KubeObject, file: string): ((pointer: string) => SourceSpan) => {
    if (last?.object !== object) {
      const document = parseManifests(liveText(object), file).documents[0]
      last = {
        object,
        locate: document
          ? (p) => document.locate(p).span
          : () => ({ file, start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } }),
      }
    }
    return last.locate
  }
  return (object, environment) => {
    const file = livePath(context, object)
    const owner = gitopsOwner(object)
    return {
      object,
      file,
      document: 0,
      prefix: '',
      ...(environment === undefined ? {} : { environment }),
      ...(owner ? { application: owner.application } : {}),
      locate: (pointer) => locateIn(object, file)(pointer),
    }
  }
}

/** Identity for matching Git and live objects: group (not version), kind, namespace, name. */
export function objectKey(object: KubeObject, defaultNamespace?: string): string {
  const ref = resourceRef(object)
  const namespace = ref.namespace ?? defaultNamespace ?? ''
  return `${apiGroup(ref.apiVersion)}/${ref.kind}/${namespace}/${ref.name}`
}

/** The object's metadata.labels (empty when none). */
export function labelsOf(object: KubeObject): Record<string, unknown> {
  return isRecord(object.metadata) && isRecord(object.metadata.labels) ? object.metadata.labels : {}
}
