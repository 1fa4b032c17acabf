import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-container-port.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-daemonset.yaml'),
      errors: [
        { messageId: 'hostPort', path: '/spec/template/spec/initContainers/0/ports/0/hostPort', line: 16, column: 42 },
        { messageId: 'hostPort', path: '/spec/template/spec/containers/0/ports/0/hostPort', line: 23, column: 15 },
      ],
      output: null,
    },
  ],
})
