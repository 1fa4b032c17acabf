import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-no-external-ips.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-external-ips.yaml'),
      errors: [{ messageId: 'externalIps', path: '/spec/externalIPs', line: 8, column: 3 }],
      output: null,
    },
  ],
})
