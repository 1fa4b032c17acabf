import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-explicit.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-star.yaml'),
      errors: [
        { messageId: 'wildcard', path: '/rules/0/resources/0', line: 8, column: 17 },
        { messageId: 'wildcard', path: '/rules/1/resources/1', line: 11, column: 30 },
      ],
      output: null,
    },
  ],
})
