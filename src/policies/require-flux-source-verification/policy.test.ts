import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-verified.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-unverified.yaml'),
      errors: [{ messageId: 'unverified', path: '/spec/verify', line: 6, column: 1 }],
      output: null,
    },
  ],
})
