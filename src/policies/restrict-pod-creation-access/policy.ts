import { definePolicy } from '../../engine/index.js'
import { celGrants, celMatchingVerbs, ROLE_KINDS } from '../rbac-rules/index.js'

const VERBS = ['create']

export default definePolicy({
  id: 'restrict-pod-creation-access',
  title: 'Roles should not create pods or workload controllers broadly',
  summary:
    'Flag create on pods and on the controllers that create them (Deployments, DaemonSets, Jobs, ...) in Role and ClusterRole rules.',
  rationale:
    'Whoever can create a pod can run any image with any service account in the namespace and mount its Secrets; without admission control that also means privileged pods and a path to the node.',
  remediation:
    'Let a GitOps controller create workloads; grant humans and CI read access, and keep create on pods to the controllers that need it.',
  severity: 'low',
  category: 'rbac',
  sets: ['best-practices'],
  controls: [
    { framework: 'cis', control: '5.1.4' },
    { framework: 'nsa', control: 'authn-authz/rbac' },
    { framework: 'soc2', control: 'CC6.3' },
    { framework: 'pci', control: '7.2.2' },
    { framework: 'nist', control: 'AC-6' },
    { framework: 'nist', control: 'CM-5' },
  ],
  messages: {
    granted: '{{kind}} "{{name}}" can create pods or workload controllers ({{verbs}}).',
  },
  match: { kinds: ROLE_KINDS },
  forEach: { paths: ['/rules'], as: 'r' },
  rules: [
    {
      messageId: 'granted',
      expression: `!(${celGrants(['', 'apps', 'batch'], ['pods', 'deployments', 'replicasets', 'statefulsets', 'daemonsets', 'jobs', 'cronjobs', 'replicationcontrollers'], VERBS)})`,
      data: { kind: 'object.kind', name: 'object.metadata.name', verbs: celMatchingVerbs(VERBS) },
    },
  ],
})
