import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-high-ids.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-low-ids.yaml'),
      errors: [
        { messageId: 'low', path: '/spec/containers/0/securityContext/runAsUser', line: 9, column: 7 },
        { messageId: 'missing', path: '/spec/containers/0/securityContext/runAsGroup', line: 9, column: 7 },
        { messageId: 'low', path: '/spec/containers/1/securityContext/runAsGroup', line: 15, column: 9 },
      ],
      output: null,
    },
  ],
})
