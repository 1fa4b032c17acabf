import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-team-group.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-authenticated.yaml'),
      errors: [{ messageId: 'authenticated', path: '/subjects/0', line: 10, column: 5 }],
      output: null,
    },
  ],
})
