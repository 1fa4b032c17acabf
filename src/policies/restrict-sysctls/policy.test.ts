import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-safe.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-kernel.yaml'),
      errors: [
        { messageId: 'unsafe', path: '/spec/template/spec/securityContext/sysctls/1/name', line: 16, column: 13 },
      ],
      output: null,
    },
    {
      ...t.fixture('invalid-pinned-v1-31.yaml'),
      errors: [{ messageId: 'unsafe', path: '/spec/securityContext/sysctls/1/name', line: 20, column: 9 }],
      output: null,
    },
  ],
})

const pinned = policyTester(import.meta.url)
pinned.run(policy, {
  params: { version: 'v1.28' }, // --pss-version v1.28
  valid: [],
  invalid: [
    {
      ...pinned.fixture('valid-safe.yaml'),
      name: 'pinned to v1.28 by the version parameter, the newer safe sysctls are refused',
      errors: [
        { messageId: 'unsafe', path: '/spec/securityContext/sysctls/1/name', line: 10, column: 9 },
        { messageId: 'unsafe', path: '/spec/securityContext/sysctls/2/name', line: 12, column: 9 },
      ],
      output: null,
    },
    {
      ...pinned.fixture('invalid-pinned-v1-31.yaml'),
      name: 'the namespace label (v1.31) wins over the version parameter (v1.28)',
      errors: [{ messageId: 'unsafe', path: '/spec/securityContext/sysctls/1/name', line: 20, column: 9 }],
      output: null,
    },
  ],
})
