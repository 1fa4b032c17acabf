import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-opt-out.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-default-mount.yaml'),
      errors: [
        { messageId: 'implicit', path: '/spec/template/spec/automountServiceAccountToken', line: 18, column: 5 },
      ],
      output: t.fixture('invalid-default-mount.fixed.yaml').yaml,
    },
    {
      ...t.fixture('invalid-explicit-true.yaml'),
      errors: [{ messageId: 'explicit', path: '/spec/automountServiceAccountToken', line: 15, column: 3 }],
      output: null,
    },
  ],
})
