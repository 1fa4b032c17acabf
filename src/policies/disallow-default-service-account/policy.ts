import { definePolicy } from '../../engine/index.js'

export default definePolicy({
  id: 'disallow-default-service-account',
  title: 'Pods must not run as the default service account with its token mounted',
  summary: 'Require a dedicated serviceAccountName, unless the pod sets automountServiceAccountToken: false.',
  rationale:
    'Every pod in a namespace shares the default service account. Any permission granted to it for one workload is granted to all of them, and a compromise of any pod yields the same token.',
  remediation:
    'Create a ServiceAccount per workload, grant it only what that workload needs, and set serviceAccountName; or set automountServiceAccountToken: false when the pod needs no API access.',
  severity: 'low',
  category: 'workload',
  sets: ['best-practices'],
  controls: [
    { framework: 'cis', control: '5.1.5' },
    { framework: 'nsa', control: 'authn-authz/rbac' },
    { framework: 'soc2', control: 'CC6.3' },
    { framework: 'pci', control: '2.2.2' },
    { framework: 'pci', control: '8.2.2' },
    { framework: 'nist', control: 'AC-2' },
    { framework: 'nist', control: 'AC-6' },
  ],
  messages: {
    defaultAccount: 'Pod runs as the default service account and mounts its token.',
  },
  match: { kinds: ['Pod'], includePodTemplates: true },
  variables: [
    {
      name: 'account',
      expression:
        "object.spec.?serviceAccountName.orValue('') != '' ? object.spec.serviceAccountName : object.spec.?serviceAccount.orValue('') != '' ? object.spec.serviceAccount : 'default'",
    },
  ],
  rules: [
    {
      messageId: 'defaultAccount',
      path: '/spec/serviceAccountName',
      expression: "variables.account != 'default' || object.spec.?automountServiceAccountToken.orValue(true) == false",
    },
  ],
})
