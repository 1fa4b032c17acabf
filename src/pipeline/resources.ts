import { isRecord, type Diagnostic, type KubeObject, type SourceSpan } from '../core/index.js'
import { parseManifests } from '../yaml/index.js'

/** A manifest file to check: its path as users see it and its decoded text. */
export interface SourceText {
  path: string
  text: string
  /** Environment decided by whoever produced the source (a rendered Argo CD app, ...). */
  environment?: string
}

/** A Kubernetes object from a file, with a way to find any of its fields in the source. */
export interface LocatedResource {
  object: KubeObject
  file: string
  /** Environment given by the source, if any. */
  environment?: string
  /** Index of the YAML document in the file, and the pointer of the object inside it ('' or '/items/N'). */
  document: number
  prefix: string
  locate(pointer: string): SourceSpan
  /** Set when a renderer produced the object: `file` holds its template or origin, not the object as written. */
  renderedBy?: 'helm' | 'kustomize'
  /**
   * The namespace the object is deployed to is not known (a chart rendered without a
   * namespace from Argo CD, Flux or palisade.yaml): policies that depend on it skip it.
   */
  namespaceUnknown?: true
  /** Rendered objects: `<kind> <name>` of the application (chart, overlay, Argo CD or Flux object) that rendered it. */
  application?: string
  /**
   * Rendered objects: where the object comes from (render, template or origin file, its place
   * among that file's objects of its kind), the fingerprint's resource identity instead of a
   * name the template may generate.
   */
  identity?: string
}

/** API groups whose documents are build inputs or tool configuration, not cluster objects. */
const BUILD_GROUPS = new Set(['kustomize.config.k8s.io', 'config.kubernetes.io', 'palisade.dev'])

/**
 * Parse a source into Kubernetes objects: split documents, flatten `kind: *List`,
 * ignore documents that are not Kubernetes objects (values files, CI configs) and
 * kustomize build inputs. Bad YAML becomes diagnostics; the rest of the file is kept.
 */
export function resourcesOf(source: SourceText): { resources: LocatedResource[]; diagnostics: Diagnostic[] } {
  const parsed = parseManifests(source.text, source.path)
  const resources: LocatedResource[] = []
  const diagnostics: Diagnostic[] = [...parsed.diagnostics]
  const env = source.environment === undefined ? {} : { environment: source.environment }
  for (const document of parsed.documents) {
    const object = document.object
    if (!isRecord(object)) continue
    const add = (item: KubeObject, prefix: string): void => {
      resources.push({ object: item, file: source.path, ...env, document: document.index, prefix, locate: (pointer) => document.locate(prefix + pointer).span })
    }
    const kind = object.kind
    const apiVersion = object.apiVersion
    if (typeof kind !== 'string' || typeof apiVersion !== 'string') {
      if (typeof kind === 'string' && isRecord(object.metadata)) {
        diagnostics.push({ code: 'RESOURCE_INVALID', severity: 'warning', message: `document of kind ${kind} has no apiVersion; not checked`, span: document.locate('/kind').span })
      }
      continue
    }
    const slash = apiVersion.indexOf('/')
    if (slash > 0 && BUILD_GROUPS.has(apiVersion.slice(0, slash))) continue
    if (kind.endsWith('List') && Array.isArray(object.items)) {
      object.items.forEach((item, i) => {
        if (isRecord(item) && typeof item.kind === 'string') add(item, `/items/${i}`)
      })
      continue
    }
    add(object, '')
  }
  return { resources, diagnostics }
}
