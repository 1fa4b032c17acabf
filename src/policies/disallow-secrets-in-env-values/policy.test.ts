import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-references.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-literals.yaml'),
      errors: [
        { messageId: 'namedSecret', path: '/spec/template/spec/containers/0/env/1/value', line: 19, column: 15 },
        { messageId: 'tokenShape', path: '/spec/template/spec/containers/0/env/2/value', line: 21, column: 15 },
      ],
      output: null,
    },
  ],
})
