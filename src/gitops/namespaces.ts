import { isRecord, type KubeObject } from '../core/index.js'

/** Built-in cluster-scoped kinds; any kind named `Cluster…` (ClusterRole, ClusterIssuer, ClusterPolicy) is taken as cluster-scoped too. */
const CLUSTER_SCOPED = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'CustomResourceDefinition', 'StorageClass', 'PriorityClass', 'IngressClass', 'RuntimeClass',
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
  'MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding', 'APIService', 'CSIDriver', 'CSINode', 'VolumeAttachment',
  'CertificateSigningRequest', 'FlowSchema', 'PriorityLevelConfiguration', 'ComponentStatus', 'PodSecurityPolicy', 'ServiceCIDR',
  'IPAddress', 'DeviceClass', 'VolumeAttributesClass',
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
  if (typeof meta.namespace === 'string' && meta.namespace !== '' && (!override || meta.namespace === namespace)) return object
  return { ...object, metadata: { ...meta, namespace } }
}
