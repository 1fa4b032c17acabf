import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-limits.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-no-limit.yaml'),
      errors: [
        {
          messageId: 'missing',
          path: '/spec/template/spec/containers/0/resources/limits/memory',
          line: 15,
          column: 11,
        },
      ],
      output: null,
    },
    {
      ...t.fixture('invalid-limit-below-request.yaml'),
      errors: [{ messageId: 'belowRequest', path: '/spec/containers/0/resources/limits/memory', line: 14, column: 11 }],
    },
  ],
})

const strict = policyTester(import.meta.url)
strict.run(policy, {
  params: { cpu: true },
  valid: [],
  invalid: [
    {
      ...strict.fixture('valid-limits.yaml'),
      name: 'cpu parameter requires a cpu limit',
      errors: [{ messageId: 'missing', path: '/spec/containers/0/resources/limits/cpu', line: 11, column: 9 }],
    },
  ],
})
