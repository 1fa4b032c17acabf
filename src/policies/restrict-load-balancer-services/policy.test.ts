import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-restricted.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-public.yaml'),
      errors: [{ messageId: 'public', path: '/spec/type', line: 8, column: 3 }],
      output: null,
    },
  ],
})
