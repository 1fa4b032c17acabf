import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-empty-dir.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-docker-socket.yaml'),
      errors: [{ messageId: 'hostPath', path: '/spec/volumes/1/hostPath', line: 16, column: 7 }],
      output: null,
    },
  ],
})
