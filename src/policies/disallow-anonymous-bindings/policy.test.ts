import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-authenticated-group.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-anonymous.yaml'),
      errors: [
        { messageId: 'anonymous', path: '/subjects/0', line: 10, column: 5 },
        { messageId: 'anonymous', path: '/subjects/1', line: 13, column: 5 },
      ],
      output: null,
    },
  ],
})
