import { definePolicy } from '../../engine/index.js'

export default definePolicy({
  id: 'require-argocd-signature-keys',
  title: 'Argo CD projects must require signed commits',
  summary: 'Require spec.signatureKeys on AppProjects, so that Argo CD syncs only commits signed by those GnuPG keys.',
  rationale:
    'Without signature keys Argo CD syncs any commit on the tracked revision: a stolen Git token or a compromised Git host is enough to deploy to the cluster.',
  remediation: "Import the signers' public keys into Argo CD and list their key IDs in spec.signatureKeys.",
  severity: 'low',
  category: 'gitops',
  // Needs signing keys set up in Argo CD first: opt in once that is done.
  stage: 'experimental',
  controls: [
    { framework: 'nsa', control: 'upgrading/application-security' },
    { framework: 'soc2', control: 'CC8.1' },
    { framework: 'pci', control: '6.5.1' },
    { framework: 'nist', control: 'SI-7' },
    { framework: 'nist', control: 'CM-14' },
  ],
  messages: {
    unsigned: 'AppProject "{{name}}" accepts unsigned commits: it sets no signatureKeys.',
  },
  match: { kinds: ['argoproj.io/AppProject'] },
  rules: [
    {
      messageId: 'unsigned',
      path: '/spec/signatureKeys',
      expression: 'size(object.spec.?signatureKeys.orValue([])) > 0',
      data: { name: 'object.metadata.name' },
    },
  ],
})
