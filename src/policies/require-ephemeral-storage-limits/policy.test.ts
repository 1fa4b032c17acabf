import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-limits.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-no-limit.yaml'),
      errors: [
        {
          messageId: 'missing',
          path: '/spec/template/spec/containers/0/resources/limits/ephemeral-storage',
          line: 18,
          column: 13,
        },
      ],
      output: null,
    },
  ],
})
