import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-cluster-ip.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-node-port.yaml'),
      errors: [{ messageId: 'nodePort', path: '/spec/type', line: 6, column: 3 }],
      output: null,
    },
  ],
})
