import { isRecord, type KubeObject } from '../core/index.js'

/** Built-in cluster-scoped kinds; any kind named `Cluster…` (ClusterRole, ClusterIssuer, ClusterPolicy) is taken as cluster-scoped too. */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'CustomResourceDefinition',
  'StorageClass',
  'PriorityClass',
  'IngressClass',
  'RuntimeClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionPolicyBinding',
  'APIService',
  'CSIDriver',
  'CSINode',
  'VolumeAttachment',
  'CertificateSigningRequest',
  'FlowSchema',
  'PriorityLevelConfiguration',
  'ComponentStatus',
  'PodSecurityPolicy',
  'ServiceCIDR',
  'IPAddress',
  'DeviceClass',
  'VolumeAttributesClass',
])

/** True for objects that live in a namespace (as far as the kind tells). */
export function isNamespaced(object: KubeObject): boolean {
  const kind = typeof object.kind === 'string' ? object.kind : ''
  return !CLUSTER_SCOPED.has(kind) && !kind.startsWith('Cluster')
}

/**
 * Put a namespaced object in `namespace`: always (`override`, as Flux targetNamespace and
 * kustomize's namespace do), or only when it names none (as Argo CD applies to its
 * destination namespace). Returns a copy when it changes anything.
 */
export function withNamespace(object: KubeObject, namespace: string, override: boolean): KubeObject {
  if (!isNamespaced(object)) return object
  const meta = isRecord(object.metadata) ? object.metadata : {}
  if (typeof meta.namespace === 'string' && meta.namespace !== '' && (!override || meta.namespace === namespace))
    return object
  return { ...object, metadata: { ...meta, namespace } }
}

/**
 * The release namespace a chart is rendered with when nothing (Argo CD destination, Flux
 * HelmRelease or targetNamespace, palisade.yaml `render.charts[].namespace`) says where it
 * is deployed. helm would use `default`, which would look like a deliberate choice of the
 * default namespace; this marker lets the scan tell what `.Release.Namespace` produced.
 */
export const UNKNOWN_NAMESPACE = 'palisade-unknown-namespace'

/**
 * An object rendered with {@link UNKNOWN_NAMESPACE}: `metadata.namespace` set from the
 * release namespace is removed (the namespace is unknown), and the marker anywhere else
 * (a subject's namespace, a service DNS name) reads `default` again, as helm renders it.
 */
export function settleUnknownNamespace(object: KubeObject): { object: KubeObject; unknown: boolean } {
  const meta = isRecord(object.metadata) ? object.metadata : undefined
  const unknown = meta?.namespace === UNKNOWN_NAMESPACE
  const restored = restoreDefault(object) as KubeObject
  if (unknown && isRecord(restored.metadata)) {
    const { namespace: _dropped, ...rest } = restored.metadata
    return { object: { ...restored, metadata: rest }, unknown }
  }
  return { object: restored, unknown }
}

/** The value with the marker replaced by `default` in every string; the same value when it holds none. */
function restoreDefault(value: unknown): unknown {
  if (typeof value === 'string')
    return value.includes(UNKNOWN_NAMESPACE) ? value.split(UNKNOWN_NAMESPACE).join('default') : value
  if (Array.isArray(value)) {
    const items = value.map(restoreDefault)
    return items.every((item, i) => item === value[i]) ? value : items
  }
  if (isRecord(value)) {
    let changed = false
    const entries = Object.entries(value).map(([k, v]) => {
      const r = restoreDefault(v)
      if (r !== v) changed = true
      return [k, r] as const
    })
    return changed ? Object.fromEntries(entries) : value
  }
  return value
}
