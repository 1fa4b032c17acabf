import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-dedicated.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-default.yaml'),
      errors: [
        { messageId: 'defaultAccount', path: '/spec/template/spec/serviceAccountName', line: 12, column: 7 },
        { messageId: 'defaultAccount', path: '/spec/serviceAccountName', line: 21, column: 1 },
      ],
      output: null,
    },
  ],
})
