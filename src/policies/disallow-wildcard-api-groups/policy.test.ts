import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-explicit.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-star.yaml'),
      errors: [{ messageId: 'wildcard', path: '/rules/0/apiGroups/0', line: 6, column: 17 }],
      output: null,
    },
  ],
})
