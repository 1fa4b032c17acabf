import { definePolicy } from '../../engine/index.js'

export default definePolicy({
  id: 'require-resource-limits',
  title: 'Containers must set a memory limit, no lower than the request',
  summary:
    'Require resources.limits.memory on every container (and limits.cpu when the cpu parameter is true), with limits not below requests.',
  rationale:
    'A container without a memory limit can exhaust the node and get other workloads OOM-killed: a denial of service from one bug or one attacker. A limit below the request is rejected by the API server.',
  remediation:
    'Set resources.limits.memory (equal to the request for Guaranteed QoS). CPU limits are optional by default because they throttle latency-sensitive services; set the cpu parameter to require them.',
  severity: 'medium',
  category: 'workload',
  sets: ['best-practices'],
  controls: [
    { framework: 'nsa', control: 'network/resource-policies' },
    { framework: 'soc2', control: 'A1.1' },
    { framework: 'pci', control: '2.2.1' },
    { framework: 'nist', control: 'SC-5' },
    { framework: 'nist', control: 'SC-6' },
  ],
  params: {
    cpu: { description: 'Also require resources.limits.cpu.', default: false },
  },
  messages: {
    missing: 'Container "{{name}}" has no {{resource}} limit.',
    belowRequest: 'Container "{{name}}" limits {{resource}} to {{limit}}, below its request of {{request}}.',
  },
  match: { kinds: ['Pod'], includePodTemplates: true },
  forEach: { paths: ['/spec/initContainers', '/spec/containers'], as: 'c' },
  rules: [
    {
      messageId: 'missing',
      path: '/resources/limits/memory',
      expression: 'c.?resources.?limits.?memory.hasValue()',
      data: { name: 'c.name', resource: '"memory"' },
    },
    {
      messageId: 'missing',
      path: '/resources/limits/cpu',
      expression: '!params.cpu || c.?resources.?limits.?cpu.hasValue()',
      data: { name: 'c.name', resource: '"cpu"' },
    },
    {
      messageId: 'belowRequest',
      forEach: { paths: ['/resources/limits'], as: 'limit' },
      // entries are {key, value}; compare each limit with the request of the same resource
      expression: `!c.?resources.?requests[?limit.key].hasValue()
        || !isQuantity(string(limit.value)) || !isQuantity(string(c.resources.requests[limit.key]))
        || !quantity(string(limit.value)).isLessThan(quantity(string(c.resources.requests[limit.key])))`,
      data: {
        name: 'c.name',
        resource: 'limit.key',
        limit: 'string(limit.value)',
        request: 'string(c.resources.requests[limit.key])',
      },
    },
  ],
})
