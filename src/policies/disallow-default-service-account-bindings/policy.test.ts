import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-dedicated.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-default.yaml'),
      errors: [{ messageId: 'defaultAccount', path: '/subjects/1', line: 14, column: 5 }],
      output: null,
    },
  ],
})
