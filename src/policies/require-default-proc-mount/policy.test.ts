import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-default.yaml'), t.fixture('valid-pinned-v1-34.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-user-namespace.yaml'),
      errors: [{ messageId: 'unmasked', path: '/spec/containers/0/securityContext/procMount', line: 12, column: 9 }],
      output: null,
    },
  ],
})
