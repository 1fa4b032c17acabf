import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-safe-forms.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-plaintext.yaml'),
      errors: [
        { messageId: 'plaintext', path: '/data', line: 7, column: 1 },
        { messageId: 'plaintext', path: '/stringData', line: 10, column: 1 },
      ],
      output: null,
    },
  ],
})
