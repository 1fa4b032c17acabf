import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-pod.yaml'), t.fixture('valid-windows.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-job.yaml'),
      errors: [
        {
          messageId: 'allowed',
          path: '/spec/template/spec/containers/0/securityContext/allowPrivilegeEscalation',
          line: 12,
          column: 11,
        },
        {
          messageId: 'allowed',
          path: '/spec/template/spec/containers/1/securityContext/allowPrivilegeEscalation',
          line: 17,
          column: 13,
        },
      ],
      output: t.fixture('invalid-job.fixed.yaml').yaml,
    },
    {
      ...t.fixture('invalid-windows-pinned.yaml'),
      errors: [
        {
          messageId: 'allowed',
          path: '/spec/containers/0/securityContext/allowPrivilegeEscalation',
          line: 19,
          column: 7,
        },
      ],
      output: null,
    },
    {
      // allowPrivilegeEscalation: false next to privileged: true or CAP_SYS_ADMIN is rejected by the API server: no fix.
      ...t.fixture('invalid-privileged.yaml'),
      errors: [
        { messageId: 'allowed', path: '/spec/containers/0/securityContext/allowPrivilegeEscalation' },
        { messageId: 'allowed', path: '/spec/containers/1/securityContext/allowPrivilegeEscalation' },
      ],
      output: null,
    },
  ],
})
