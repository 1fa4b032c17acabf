import { definePolicy } from '../../engine/index.js'

export default definePolicy({
  id: 'require-flux-service-account',
  title: 'Flux Kustomizations and HelmReleases must apply as a tenant service account',
  summary:
    'Require spec.serviceAccountName (or a remote kubeConfig) on Flux Kustomizations and HelmReleases outside flux-system.',
  rationale:
    'Without serviceAccountName, Flux applies as its own controller, which is cluster-admin: a tenant whose repository Flux reconciles can create ClusterRoleBindings or workloads in any namespace.',
  remediation:
    "Create a ServiceAccount with the tenant's permissions in the target namespace and set spec.serviceAccountName; enforce it with the controllers' --default-service-account flag.",
  severity: 'medium',
  category: 'gitops',
  sets: ['best-practices'],
  controls: [
    { framework: 'nsa', control: 'authn-authz/rbac' },
    { framework: 'soc2', control: 'CC6.3' },
    { framework: 'pci', control: '7.2.5' },
    { framework: 'nist', control: 'AC-5' },
    { framework: 'nist', control: 'AC-6' },
  ],
  messages: {
    controllerIdentity:
      '{{kind}} "{{name}}" applies with the Flux controller\'s cluster-admin identity: it sets no serviceAccountName.',
  },
  // The bootstrap objects in flux-system manage the cluster itself and legitimately run as the controller.
  match: {
    kinds: ['kustomize.toolkit.fluxcd.io/Kustomization', 'helm.toolkit.fluxcd.io/HelmRelease'],
    excludeNamespaces: ['flux-system'],
  },
  rules: [
    {
      messageId: 'controllerIdentity',
      path: '/spec/serviceAccountName',
      expression: "object.spec.?serviceAccountName.orValue('') != '' || has(object.spec.kubeConfig)",
      data: { kind: 'object.kind', name: 'object.metadata.name' },
    },
  ],
})
