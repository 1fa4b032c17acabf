import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-office-range.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-anywhere.yaml'),
      errors: [
        { messageId: 'open', path: '/spec/ingress/0/from/0/ipBlock/cidr', line: 13, column: 13 },
        { messageId: 'open', path: '/spec/ingress/0/from/1/ipBlock/cidr', line: 15, column: 13 },
      ],
      output: null,
    },
  ],
})
