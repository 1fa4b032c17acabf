import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-separate.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-shared.yaml'),
      errors: [{ messageId: 'shared', path: '/spec/template/spec/shareProcessNamespace', line: 12, column: 7 }],
      output: null,
    },
  ],
})
