import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-https.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-plain-http.yaml'),
      errors: [
        { messageId: 'plainUrl', path: '/spec/source/repoURL', line: 9, column: 5 },
        { messageId: 'plainUrl', path: '/spec/url', line: 20, column: 3 },
        { messageId: 'insecure', path: '/spec/insecure', line: 30, column: 3 },
      ],
      output: null,
    },
  ],
})
