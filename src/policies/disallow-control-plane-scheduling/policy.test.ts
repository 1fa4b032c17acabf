import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-workers.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-control-plane.yaml'),
      errors: [
        { messageId: 'controlPlane', path: '/spec/template/spec/tolerations/0', line: 13, column: 11 },
        { messageId: 'tolerateAll', path: '/spec/template/spec/tolerations/1', line: 16, column: 11 },
        { messageId: 'nodeName', path: '/spec/nodeName', line: 26, column: 3 },
      ],
      output: null,
    },
  ],
})
