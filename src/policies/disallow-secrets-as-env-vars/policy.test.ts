import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-volume.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-env.yaml'),
      errors: [
        {
          messageId: 'secretKeyRef',
          path: '/spec/template/spec/containers/0/env/0/valueFrom/secretKeyRef',
          line: 18,
          column: 17,
        },
        { messageId: 'secretRef', path: '/spec/template/spec/containers/0/envFrom/0/secretRef', line: 22, column: 15 },
      ],
      output: null,
    },
  ],
})
