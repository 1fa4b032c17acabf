import { definePolicy } from '../../engine/index.js'
import { celGrants, celMatchingVerbs, ROLE_KINDS } from '../rbac-rules/index.js'

const VERBS = ['create']

export default definePolicy({
  id: 'restrict-persistent-volume-creation',
  title: 'Roles must not create PersistentVolumes',
  summary: 'Forbid create on persistentvolumes in ClusterRole rules.',
  rationale:
    'A PersistentVolume can be a hostPath: whoever creates one and a matching claim mounts the node file system into a pod, bypassing the Pod Security Standards check on hostPath volumes.',
  remediation:
    'Provision storage through StorageClasses and dynamic provisioning; keep PersistentVolume creation to cluster administrators.',
  severity: 'medium',
  category: 'rbac',
  sets: ['best-practices'],
  controls: [
    { framework: 'cis', control: '5.1.9' },
    { framework: 'nsa', control: 'authn-authz/rbac' },
    { framework: 'soc2', control: 'CC6.3' },
    { framework: 'pci', control: '7.2.2' },
    { framework: 'nist', control: 'AC-6' },
  ],
  messages: {
    granted: '{{kind}} "{{name}}" can create PersistentVolumes ({{verbs}}).',
  },
  match: { kinds: ROLE_KINDS },
  forEach: { paths: ['/rules'], as: 'r' },
  rules: [
    {
      messageId: 'granted',
      expression: `!(${celGrants([''], ['persistentvolumes'], VERBS)})`,
      data: { kind: 'object.kind', name: 'object.metadata.name', verbs: celMatchingVerbs(VERBS) },
    },
  ],
})
