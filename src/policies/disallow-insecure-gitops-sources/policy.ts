import { definePolicy } from '../../engine/index.js'

const PLAIN = "(u.startsWith('http://') || u.startsWith('git://'))"

export default definePolicy({
  id: 'disallow-insecure-gitops-sources',
  title: 'GitOps sources must be fetched over authenticated, encrypted transport',
  summary:
    'Forbid http:// and git:// repository URLs in Argo CD Applications and Flux sources, and Flux sources with insecure: true.',
  rationale:
    'A controller that fetches manifests over plain HTTP or git:// deploys whatever a machine on the network path returns: one spoofed response is cluster-admin code execution.',
  remediation: 'Use https:// or ssh:// URLs (oci:// with TLS for registries) and remove insecure: true.',
  severity: 'high',
  category: 'gitops',
  sets: ['best-practices'],
  controls: [
    { framework: 'nsa', control: 'network/tls' },
    { framework: 'nsa', control: 'upgrading/application-security' },
    { framework: 'soc2', control: 'CC6.7' },
    { framework: 'pci', control: '4.2.1' },
    { framework: 'nist', control: 'SC-8' },
    { framework: 'nist', control: 'SI-7' },
  ],
  messages: {
    plainUrl: '{{kind}} "{{name}}" fetches from {{url}} without TLS.',
    insecure: '{{kind}} "{{name}}" sets insecure: true and skips TLS verification.',
  },
  match: {
    kinds: [
      'argoproj.io/Application',
      'source.toolkit.fluxcd.io/GitRepository',
      'source.toolkit.fluxcd.io/HelmRepository',
      'source.toolkit.fluxcd.io/OCIRepository',
      'source.toolkit.fluxcd.io/Bucket',
    ],
  },
  rules: [
    {
      messageId: 'plainUrl',
      path: '/spec/source/repoURL',
      expression: `[object.spec.?source.?repoURL.orValue('')].all(u, !${PLAIN})`,
      data: { kind: 'object.kind', name: 'object.metadata.name', url: 'object.spec.source.repoURL' },
    },
    {
      messageId: 'plainUrl',
      forEach: { paths: ['/spec/sources'], as: 's' },
      path: '/repoURL',
      expression: `[s.?repoURL.orValue('')].all(u, !${PLAIN})`,
      data: { kind: 'object.kind', name: 'object.metadata.name', url: 's.repoURL' },
    },
    {
      messageId: 'plainUrl',
      path: '/spec/url',
      expression: `[object.spec.?url.orValue('')].all(u, !${PLAIN})`,
      data: { kind: 'object.kind', name: 'object.metadata.name', url: 'object.spec.url' },
    },
    {
      messageId: 'insecure',
      path: '/spec/insecure',
      expression: 'object.spec.?insecure.orValue(false) != true',
      data: { kind: 'object.kind', name: 'object.metadata.name' },
    },
  ],
})
