import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-specific.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-allow-all.yaml'),
      errors: [
        { messageId: 'allowAll', path: '/spec/ingress/0', line: 10, column: 7 },
        { messageId: 'allowAll', path: '/spec/egress/1', line: 13, column: 7 },
      ],
      output: null,
    },
  ],
})
