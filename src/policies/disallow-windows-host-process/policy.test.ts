import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-windows.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-host-process.yaml'),
      errors: [
        {
          messageId: 'pod',
          path: '/spec/template/spec/securityContext/windowsOptions/hostProcess',
          line: 17,
          column: 11,
        },
        {
          messageId: 'container',
          path: '/spec/template/spec/containers/0/securityContext/windowsOptions/hostProcess',
          line: 24,
          column: 15,
        },
      ],
      output: null,
    },
  ],
})
