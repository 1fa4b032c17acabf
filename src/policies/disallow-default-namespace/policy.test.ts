import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-own-namespace.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-default.yaml'),
      errors: [{ messageId: 'defaultNamespace', path: '/metadata/namespace', line: 5, column: 3 }],
      output: null,
    },
  ],
})
