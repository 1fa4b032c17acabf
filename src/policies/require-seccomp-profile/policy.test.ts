import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-pod-level.yaml'), t.fixture('valid-windows.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-container-unconfined.yaml'),
      errors: [
        {
          messageId: 'containerType',
          path: '/spec/containers/0/securityContext/seccompProfile/type',
          line: 14,
          column: 11,
        },
      ],
      output: null,
    },
    {
      ...t.fixture('invalid-missing.yaml'),
      errors: [
        { messageId: 'missing', path: '/spec/jobTemplate/spec/template/spec/containers/0', line: 13, column: 15 },
        { messageId: 'missing', path: '/spec/jobTemplate/spec/template/spec/containers/1', line: 15, column: 15 },
      ],
      output: t.fixture('invalid-missing.fixed.yaml').yaml,
    },
  ],
})
