import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-file-flags.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-literal-flags.yaml'),
      errors: [
        { messageId: 'flag', path: '/spec/jobTemplate/spec/template/spec/containers/0/args/0', line: 16, column: 19 },
        { messageId: 'flag', path: '/spec/jobTemplate/spec/template/spec/containers/0/args/1', line: 17, column: 19 },
        {
          messageId: 'flag',
          path: '/spec/jobTemplate/spec/template/spec/containers/1/command/1',
          line: 22,
          column: 33,
        },
      ],
      output: null,
    },
  ],
})
