import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-requests.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-no-memory.yaml'),
      errors: [
        {
          messageId: 'missing',
          path: '/spec/template/spec/containers/0/resources/requests/memory',
          line: 17,
          column: 13,
        },
      ],
      output: null,
    },
  ],
})
