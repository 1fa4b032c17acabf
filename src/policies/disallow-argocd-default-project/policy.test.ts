import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-team-project.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-default.yaml'),
      errors: [
        { messageId: 'defaultProject', path: '/spec/project', line: 7, column: 3 },
        { messageId: 'defaultProject', path: '/spec/template/spec/project', line: 25, column: 7 },
      ],
      output: null,
    },
  ],
})
