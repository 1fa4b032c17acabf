/**
 * Small readers over plain Kubernetes objects for cross-resource (checkAll) policies:
 * kind, name, namespace, and the Pod view of anything that runs pods.
 */
import { apiGroup, isRecord, type KubeObject } from '../../core/index.js'
import { POD_CONTROLLER_KINDS, podTemplateTarget, type Target } from '../../engine/index.js'

/** The object's kind, or ''. */
export function kindOf(object: KubeObject): string {
  return typeof object.kind === 'string' ? object.kind : ''
}

/** The object's API group ('' for the core group). */
export function groupOf(object: KubeObject): string {
  return apiGroup(typeof object.apiVersion === 'string' ? object.apiVersion : '')
}

/** metadata.name, or ''. */
export function nameOf(object: KubeObject): string {
  const meta = isRecord(object.metadata) ? object.metadata : {}
  return typeof meta.name === 'string' ? meta.name : ''
}

/** metadata.namespace, or undefined when the manifest leaves it to the deployer. */
export function namespaceOf(object: KubeObject): string | undefined {
  const meta = isRecord(object.metadata) ? object.metadata : {}
  return typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : undefined
}

/**
 * What runs pods: a Pod itself, or the Pod view of a workload's template with the
 * pointer prefix of that template. Undefined for everything else.
 */
export function podViewOf(object: KubeObject): Target | undefined {
  if (kindOf(object) === 'Pod' && groupOf(object) === '') return { object, prefix: '' }
  return podTemplateTarget(object)
}

/** Whether podViewOf may give a view of an object of this one's kind and group (for a header: see PolicySpec.headerRole). */
export function mayRunPods(object: KubeObject): boolean {
  const kind = kindOf(object)
  return (kind === 'Pod' && groupOf(object) === '') || POD_CONTROLLER_KINDS.includes(kind)
}
