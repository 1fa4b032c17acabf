import { definePolicy } from '../../engine/index.js'

export default definePolicy({
  id: 'require-resource-requests',
  title: 'Containers must request CPU and memory',
  summary: 'Require resources.requests.cpu and resources.requests.memory on every container and init container.',
  rationale:
    'Without requests the scheduler cannot place pods sensibly, the pod gets the BestEffort QoS class and is evicted first, and noisy neighbours starve the node.',
  remediation: 'Set resources.requests.cpu and resources.requests.memory from observed usage.',
  severity: 'low',
  category: 'workload',
  sets: ['best-practices'],
  controls: [
    { framework: 'nsa', control: 'network/resource-policies' },
    { framework: 'soc2', control: 'A1.1' },
    { framework: 'pci', control: '2.2.1' },
    { framework: 'nist', control: 'SC-6' },
  ],
  messages: {
    missing: 'Container "{{name}}" does not request {{resource}}.',
  },
  match: { kinds: ['Pod'], includePodTemplates: true },
  forEach: { paths: ['/spec/initContainers', '/spec/containers'], as: 'c' },
  rules: [
    {
      messageId: 'missing',
      path: '/resources/requests/cpu',
      expression: 'c.?resources.?requests.?cpu.hasValue()',
      data: { name: 'c.name', resource: '"cpu"' },
    },
    {
      messageId: 'missing',
      path: '/resources/requests/memory',
      expression: 'c.?resources.?requests.?memory.hasValue()',
      data: { name: 'c.name', resource: '"memory"' },
    },
  ],
})
