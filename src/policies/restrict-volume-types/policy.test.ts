import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-ephemeral-volumes.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-nfs-and-host-path.yaml'),
      errors: [
        { messageId: 'restricted', path: '/spec/template/spec/volumes/0/nfs', line: 17, column: 11 },
        { messageId: 'restricted', path: '/spec/template/spec/volumes/2/hostPath', line: 23, column: 11 },
      ],
      output: null,
    },
  ],
})
