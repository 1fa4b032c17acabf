import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-logs.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-exec.yaml'),
      errors: [
        { messageId: 'granted', path: '/rules/0', line: 7, column: 5 },
        { messageId: 'granted', path: '/rules/1', line: 10, column: 5 },
      ],
      output: null,
    },
  ],
})
