import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-read-only.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-create-workloads.yaml'),
      errors: [{ messageId: 'granted', path: '/rules/0', line: 7, column: 5 }],
      output: null,
    },
  ],
})
