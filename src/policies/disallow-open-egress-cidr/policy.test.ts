import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-known-destinations.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-anywhere.yaml'),
      errors: [{ messageId: 'open', path: '/spec/egress/0/to/0/ipBlock/cidr', line: 12, column: 13 }],
      output: null,
    },
  ],
})
