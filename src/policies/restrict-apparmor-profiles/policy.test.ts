import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-runtime-default.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-unconfined.yaml'),
      errors: [
        {
          messageId: 'annotation',
          path: '/spec/template/metadata/annotations/container.apparmor.security.beta.kubernetes.io~1shell',
          line: 12,
          column: 9,
        },
        {
          messageId: 'containerType',
          path: '/spec/template/spec/containers/0/securityContext/appArmorProfile/type',
          line: 19,
          column: 15,
        },
      ],
      output: null,
    },
  ],
})
