import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-user-namespace.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-unmasked.yaml'),
      errors: [
        {
          messageId: 'unmasked',
          path: '/spec/template/spec/containers/0/securityContext/procMount',
          line: 13,
          column: 13,
        },
      ],
      output: null,
    },
    {
      ...t.fixture('invalid-user-namespace-pinned.yaml'),
      errors: [{ messageId: 'unmasked', path: '/spec/containers/0/securityContext/procMount', line: 21, column: 9 }],
      output: null,
    },
  ],
})
