import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-tenant.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-controller-identity.yaml'),
      errors: [{ messageId: 'controllerIdentity', path: '/spec/serviceAccountName', line: 6, column: 1 }],
      output: null,
    },
  ],
})
