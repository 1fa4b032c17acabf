import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-registry-k8s-io.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-k8s-gcr-io.yaml'),
      errors: [
        { messageId: 'deprecated', path: '/spec/template/spec/containers/0/image', line: 14, column: 11 },
        { messageId: 'deprecated', path: '/spec/template/spec/containers/1/image', line: 16, column: 11 },
      ],
      output: null,
    },
  ],
})
