import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-default-deny.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-no-default-deny.yaml'),
      errors: [
        { messageId: 'missing', path: '/metadata/name', line: 4, column: 3 },
        { messageId: 'missing', path: '/metadata/namespace', line: 39, column: 3 },
        { messageId: 'missingUnnamespaced', path: '/metadata', line: 53, column: 1 },
      ],
      output: null,
    },
  ],
})

const egress = policyTester(import.meta.url)
egress.run(policy, {
  params: { egress: true },
  valid: [egress.fixture('valid-default-deny.yaml')],
  invalid: [
    {
      ...egress.fixture('invalid-no-default-deny.yaml'),
      name: 'with the egress parameter, egress needs its own default deny',
      errors: [
        { messageId: 'missing', path: '/metadata/name', line: 4, column: 3 },
        { messageId: 'missing', path: '/metadata/name', line: 4, column: 3 },
        { messageId: 'missing', path: '/metadata/namespace', line: 39, column: 3 },
        { messageId: 'missing', path: '/metadata/namespace', line: 39, column: 3 },
        { messageId: 'missingUnnamespaced', path: '/metadata', line: 53, column: 1 },
        { messageId: 'missingUnnamespaced', path: '/metadata', line: 53, column: 1 },
      ],
      output: null,
    },
  ],
})
