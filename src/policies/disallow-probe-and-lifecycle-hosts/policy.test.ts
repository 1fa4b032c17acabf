import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-pinned-v1-33.yaml'), t.fixture('valid-probes.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-metadata-host.yaml'),
      errors: [
        {
          messageId: 'host',
          path: '/spec/template/spec/containers/0/readinessProbe/httpGet/host',
          line: 17,
          column: 15,
        },
        {
          messageId: 'host',
          path: '/spec/template/spec/containers/0/lifecycle/postStart/tcpSocket/host',
          line: 23,
          column: 17,
        },
      ],
      output: null,
    },
  ],
})
