import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-listed-destinations.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-any-destination.yaml'),
      errors: [
        { messageId: 'anyNamespace', path: '/spec/destinations/0/namespace', line: 10, column: 7 },
        { messageId: 'anyCluster', path: '/spec/destinations/1', line: 11, column: 7 },
      ],
      output: null,
    },
  ],
})
