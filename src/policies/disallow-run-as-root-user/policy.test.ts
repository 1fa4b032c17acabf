import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-non-zero.yaml'), t.fixture('valid-user-namespace.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-root.yaml'),
      errors: [
        { messageId: 'pod', path: '/spec/template/spec/securityContext/runAsUser', line: 13, column: 9 },
        {
          messageId: 'container',
          path: '/spec/template/spec/initContainers/0/securityContext/runAsUser',
          line: 18,
          column: 13,
        },
      ],
      output: null,
    },
  ],
})
