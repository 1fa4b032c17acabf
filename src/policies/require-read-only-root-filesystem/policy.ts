import { definePolicy } from '../../engine/index.js'

export default definePolicy({
  id: 'require-read-only-root-filesystem',
  title: 'Containers must use a read-only root file system',
  summary: 'Require securityContext.readOnlyRootFilesystem: true on every container.',
  rationale:
    'A writable root file system lets an attacker drop tools, alter binaries or persist inside the container; a read-only one confines writes to explicit volumes.',
  remediation:
    'Set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the application must write (/tmp, caches).',
  severity: 'medium',
  category: 'workload',
  sets: ['best-practices'],
  controls: [
    { framework: 'nsa', control: 'pod-security/immutable-filesystem' },
    { framework: 'cis', control: '5.7.3' },
    { framework: 'soc2', control: 'CC6.8' },
    { framework: 'pci', control: '2.2.6' },
    { framework: 'nist', control: 'CM-7' },
    { framework: 'nist', control: 'SI-7' },
  ],
  messages: {
    writable: 'Container "{{name}}" has a writable root file system (readOnlyRootFilesystem is not true).',
  },
  match: { kinds: ['Pod'], includePodTemplates: true },
  forEach: { paths: ['/spec/initContainers', '/spec/containers'], as: 'c' },
  rules: [
    {
      messageId: 'writable',
      path: '/securityContext/readOnlyRootFilesystem',
      expression: 'c.?securityContext.?readOnlyRootFilesystem.orValue(false) == true',
      data: { name: 'c.name' },
      fix: { safety: 'unsafe', patch: [{ op: 'add', path: '/securityContext/readOnlyRootFilesystem', value: true }] },
    },
  ],
})
