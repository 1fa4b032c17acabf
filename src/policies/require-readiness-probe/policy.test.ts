import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-probes.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-no-readiness.yaml'),
      errors: [{ messageId: 'missing', path: '/spec/template/spec/containers/0', line: 13, column: 11 }],
      output: null,
    },
  ],
})
