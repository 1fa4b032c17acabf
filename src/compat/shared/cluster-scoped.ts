/** Kinds that live outside namespaces (a missing namespace is not defaulted for them). */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'StorageClass',
  'PriorityClass', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding', 'MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding', 'APIService',
  'ClusterPolicy', 'ClusterIssuer', 'IngressClass', 'RuntimeClass', 'CSIDriver', 'CSINode', 'VolumeAttachment',
  'PodSecurityPolicy', 'CertificateSigningRequest', 'FlowSchema', 'PriorityLevelConfiguration', 'ClusterPolicyReport',
  'ValidatingPolicy', 'MutatingPolicy', 'GeneratingPolicy', 'ImageValidatingPolicy', 'DeletingPolicy', 'ClusterCleanupPolicy',
  'ClusterRoleTemplate', 'ComponentStatus', 'SelfSubjectReview', 'TokenReview', 'SubjectAccessReview', 'SelfSubjectAccessReview',
  'ClusterIssuer', 'ClusterSecretStore', 'ClusterExternalSecret', 'Provider', 'AppProject',
])
