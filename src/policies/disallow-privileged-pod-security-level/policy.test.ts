import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-restricted.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-privileged.yaml'),
      errors: [
        { messageId: 'privileged', path: '/metadata/labels/pod-security.kubernetes.io~1enforce', line: 6, column: 5 },
      ],
      output: null,
    },
  ],
})
