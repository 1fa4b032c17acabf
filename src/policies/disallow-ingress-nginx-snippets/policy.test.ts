import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-annotations.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-snippets.yaml'),
      errors: [
        {
          messageId: 'snippet',
          path: '/metadata/annotations/nginx.ingress.kubernetes.io~1configuration-snippet',
          line: 7,
          column: 5,
        },
        { messageId: 'snippet', path: '/metadata/annotations/nginx.org~1server-snippets', line: 9, column: 5 },
      ],
      output: null,
    },
  ],
})
