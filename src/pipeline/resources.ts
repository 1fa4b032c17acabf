import { isRecord, objectsOfDocument, type Diagnostic, type KubeObject, type LocatedResource } from '../core/index.js'
import { parseManifests, type ParseOptions } from '../yaml/index.js'

/** A manifest file to check: its path as users see it and its decoded text. */
export interface SourceText {
  path: string
  text: string
  /** Environment decided by whoever produced the source (a rendered Argo CD app, ...). */
  environment?: string
}

/** API groups whose documents are build inputs or tool configuration, not cluster objects. */
const BUILD_GROUPS = new Set(['kustomize.config.k8s.io', 'config.kubernetes.io', 'palisade.dev'])

/** Whether a document of this apiVersion is a build input or tool configuration (not a resource). */
export function isBuildInput(apiVersion: string): boolean {
  const slash = apiVersion.indexOf('/')
  return slash > 0 && BUILD_GROUPS.has(apiVersion.slice(0, slash))
}

/**
 * Parse a source into Kubernetes objects: split documents, flatten `kind: *List`,
 * ignore documents that are not Kubernetes objects (values files, CI configs) and
 * kustomize build inputs. Bad YAML becomes diagnostics; the rest of the file is kept.
 * `options` go to the parser (objects-of.ts reads without recording positions).
 */
export function resourcesOf(
  source: SourceText,
  options?: ParseOptions,
): { resources: LocatedResource[]; diagnostics: Diagnostic[] } {
  const parsed = parseManifests(source.text, source.path, options)
  const resources: LocatedResource[] = []
  const diagnostics: Diagnostic[] = [...parsed.diagnostics]
  const env = source.environment === undefined ? {} : { environment: source.environment }
  for (const document of parsed.documents) {
    const object = document.object
    if (!isRecord(object)) continue
    const add = (item: KubeObject, prefix: string): void => {
      resources.push({
        object: item,
        file: source.path,
        ...env,
        document: document.index,
        prefix,
        locate: (pointer) => document.locate(prefix + pointer).span,
      })
    }
    const kind = object.kind
    const apiVersion = object.apiVersion
    if (typeof kind !== 'string' || typeof apiVersion !== 'string') {
      if (typeof kind === 'string' && isRecord(object.metadata)) {
        diagnostics.push({
          code: 'RESOURCE_INVALID',
          severity: 'warning',
          message: `document of kind ${kind} has no apiVersion; not checked`,
          span: document.locate('/kind').span,
        })
      }
      continue
    }
    if (isBuildInput(apiVersion)) continue
    for (const item of objectsOfDocument(object)) add(item.object, item.prefix)
  }
  return { resources, diagnostics }
}
