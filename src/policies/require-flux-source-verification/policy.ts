import { definePolicy } from '../../engine/index.js'

export default definePolicy({
  id: 'require-flux-source-verification',
  title: 'Flux sources must verify signatures',
  summary:
    'Require spec.verify on Flux GitRepository (commit or tag signatures) and OCIRepository (cosign or notation) sources.',
  rationale:
    'Flux applies whatever the source returns. Without signature verification, anyone who can push to the branch or the registry, or who compromises the Git host, deploys to the cluster unreviewed.',
  remediation:
    'Sign commits or tags (GPG or SSH) and set spec.verify with the public keys Secret; sign OCI artifacts with cosign or notation and set spec.verify.provider.',
  severity: 'medium',
  category: 'gitops',
  sets: ['best-practices'],
  controls: [
    { framework: 'nsa', control: 'upgrading/application-security' },
    { framework: 'soc2', control: 'CC8.1' },
    { framework: 'pci', control: '6.5.1' },
    { framework: 'nist', control: 'SI-7' },
    { framework: 'nist', control: 'CM-14' },
    { framework: 'nist', control: 'SR-4' },
  ],
  messages: {
    unverified: '{{kind}} "{{name}}" does not verify the signatures of what it fetches.',
  },
  match: { kinds: ['source.toolkit.fluxcd.io/GitRepository', 'source.toolkit.fluxcd.io/OCIRepository'] },
  rules: [
    {
      messageId: 'unverified',
      path: '/spec/verify',
      expression: 'has(object.spec.verify)',
      data: { kind: 'object.kind', name: 'object.metadata.name' },
    },
  ],
})
