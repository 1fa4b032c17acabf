import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-namespaces-only.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-everything.yaml'),
      errors: [{ messageId: 'anyClusterResource', path: '/spec/clusterResourceWhitelist/0', line: 10, column: 7 }],
      output: null,
    },
  ],
})
