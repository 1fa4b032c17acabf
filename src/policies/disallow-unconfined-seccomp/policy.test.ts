import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-runtime-default.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-annotation-pinned.yaml'),
      errors: [
        {
          messageId: 'annotation',
          path: '/metadata/annotations/seccomp.security.alpha.kubernetes.io~1pod',
          line: 16,
          column: 5,
        },
      ],
      output: null,
    },
    {
      ...t.fixture('invalid-unconfined.yaml'),
      errors: [
        { messageId: 'podType', path: '/spec/template/spec/securityContext/seccompProfile/type', line: 15, column: 11 },
      ],
      output: null,
    },
  ],
})
