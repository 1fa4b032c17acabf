import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-named.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-list-secrets.yaml'),
      errors: [{ messageId: 'granted', path: '/rules/0', line: 6, column: 5 }],
      output: null,
    },
  ],
})
