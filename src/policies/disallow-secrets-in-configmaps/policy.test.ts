import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-config.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-credentials.yaml'),
      errors: [
        { messageId: 'namedSecret', path: '/data/smtp_password', line: 7, column: 3 },
        { messageId: 'tokenShape', path: '/data/deploy-key', line: 8, column: 3 },
      ],
      output: null,
    },
  ],
})
