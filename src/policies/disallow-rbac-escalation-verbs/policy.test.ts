import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-named-bind.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-escalate.yaml'),
      errors: [
        { messageId: 'escalation', path: '/rules/0/verbs/1', line: 8, column: 18 },
        { messageId: 'escalation', path: '/rules/0/verbs/2', line: 8, column: 28 },
        { messageId: 'escalation', path: '/rules/1/verbs/0', line: 11, column: 13 },
      ],
      output: null,
    },
  ],
})
