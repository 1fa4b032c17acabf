import { definePolicy } from '../../engine/index.js'

export default definePolicy({
  id: 'disallow-host-path-volumes',
  title: 'Pods must not mount hostPath volumes',
  summary: 'Forbid volumes of type hostPath.',
  rationale:
    'A hostPath volume exposes the node file system to the container: the kubelet credentials, the container runtime socket or /etc are one mount away from a node takeover.',
  remediation: 'Use an emptyDir, a PersistentVolumeClaim, a ConfigMap or a CSI volume instead of hostPath.',
  severity: 'high',
  category: 'pod-security',
  sets: ['pss-baseline', 'pss-restricted'],
  controls: [
    { framework: 'pss', control: 'baseline/hostPathVolumes' },
    { framework: 'cis', control: '5.2.12' },
    { framework: 'nsa', control: 'pod-security/privileged' },
    { framework: 'soc2', control: 'CC6.1' },
    { framework: 'pci', control: '2.2.6' },
    { framework: 'nist', control: 'AC-6' },
    { framework: 'nist', control: 'SC-39' },
  ],
  messages: {
    hostPath: 'Volume "{{name}}" mounts the host path {{path}}.',
  },
  match: { kinds: ['Pod'], includePodTemplates: true },
  forEach: { paths: ['/spec/volumes'], as: 'v' },
  rules: [
    {
      messageId: 'hostPath',
      path: '/hostPath',
      expression: '!has(v.hostPath)',
      data: { name: 'v.name', path: 'v.hostPath.?path.orValue("")' },
    },
  ],
})
