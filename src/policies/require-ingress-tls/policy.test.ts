import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-tls.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-plain-http.yaml'),
      errors: [{ messageId: 'noTls', path: '/spec', line: 5, column: 1 }],
      output: null,
    },
    {
      ...t.fixture('invalid-uncovered-host.yaml'),
      errors: [{ messageId: 'hostNotCovered', path: '/spec/rules/1/host', line: 13, column: 7 }],
      output: null,
    },
  ],
})
