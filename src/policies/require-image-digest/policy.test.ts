import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-digests.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-tags.yaml'),
      errors: [
        { messageId: 'notPinned', path: '/spec/template/spec/containers/0/image', line: 14, column: 11 },
        { messageId: 'notPinned', path: '/spec/template/spec/containers/1/image', line: 16, column: 11 },
      ],
      output: null,
    },
  ],
})
