import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-always.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-if-not-present.yaml'),
      errors: [
        { messageId: 'notAlways', path: '/spec/containers/0/imagePullPolicy', line: 9, column: 7 },
        { messageId: 'notAlways', path: '/spec/containers/1', line: 10, column: 7 },
      ],
      output: t.fixture('invalid-if-not-present.fixed.yaml').yaml,
    },
  ],
})
