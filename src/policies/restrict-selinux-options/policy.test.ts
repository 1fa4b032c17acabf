import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-container-types.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-engine-type-pinned.yaml'),
      errors: [
        { messageId: 'type', path: '/spec/containers/0/securityContext/seLinuxOptions/type', line: 21, column: 11 },
      ],
      output: null,
    },
    {
      ...t.fixture('invalid-spc-type.yaml'),
      errors: [
        { messageId: 'user', path: '/spec/template/spec/securityContext/seLinuxOptions/user', line: 14, column: 11 },
        {
          messageId: 'type',
          path: '/spec/template/spec/containers/0/securityContext/seLinuxOptions/type',
          line: 20,
          column: 15,
        },
        {
          messageId: 'role',
          path: '/spec/template/spec/containers/0/securityContext/seLinuxOptions/role',
          line: 21,
          column: 15,
        },
      ],
      output: null,
    },
  ],
})
