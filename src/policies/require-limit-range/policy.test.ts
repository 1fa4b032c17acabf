import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-limit-range.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-no-limit-range.yaml'),
      errors: [{ messageId: 'missing', path: '/metadata/name', line: 4, column: 3 }],
      output: null,
    },
  ],
})
