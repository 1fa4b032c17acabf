import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-opaque.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-token-secret.yaml'),
      errors: [{ messageId: 'legacyToken', path: '/type', line: 8, column: 1 }],
      output: null,
    },
  ],
})
