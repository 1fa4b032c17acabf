import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-labelled.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-unlabelled.yaml'),
      errors: [{ messageId: 'missing', path: '/metadata/labels', line: 5, column: 3 }],
      output: null,
    },
  ],
})
