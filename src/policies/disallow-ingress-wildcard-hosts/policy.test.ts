import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-exact-hosts.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-catch-all.yaml'),
      errors: [
        { messageId: 'noHost', path: '/spec/rules/0', line: 7, column: 7 },
        { messageId: 'wildcardHost', path: '/spec/rules/1/host', line: 9, column: 7 },
      ],
      output: null,
    },
  ],
})
