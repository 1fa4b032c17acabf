import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-qualified.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-short-names.yaml'),
      errors: [
        { messageId: 'shortName', path: '/spec/containers/0/image', line: 8, column: 7 },
        { messageId: 'shortName', path: '/spec/containers/1/image', line: 10, column: 7 },
      ],
      output: t.fixture('invalid-short-names.fixed.yaml').yaml,
    },
  ],
})
