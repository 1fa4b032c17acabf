import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-probes.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-no-liveness.yaml'),
      errors: [
        { messageId: 'missing', path: '/spec/template/spec/containers/0', line: 14, column: 11 },
        { messageId: 'missing', path: '/spec/containers/0', line: 29, column: 7 },
      ],
      output: null,
    },
  ],
})
