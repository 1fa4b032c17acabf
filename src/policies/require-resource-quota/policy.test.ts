import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-quota.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-no-quota.yaml'),
      errors: [{ messageId: 'missing', path: '/metadata/name', line: 4, column: 3 }],
      output: null,
    },
  ],
})
