import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-signed.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-unsigned.yaml'),
      errors: [{ messageId: 'unsigned', path: '/spec/signatureKeys', line: 6, column: 1 }],
      output: null,
    },
  ],
})
