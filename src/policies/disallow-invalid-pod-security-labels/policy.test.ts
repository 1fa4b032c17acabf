import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-labels.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-labels.yaml'),
      errors: [
        { messageId: 'invalidLevel', path: '/metadata/labels/pod-security.kubernetes.io~1enforce', line: 6, column: 5 },
        {
          messageId: 'invalidVersion',
          path: '/metadata/labels/pod-security.kubernetes.io~1enforce-version',
          line: 7,
          column: 5,
        },
        { messageId: 'unknownKey', path: '/metadata/labels/pod-security.kubernetes.io~1warning', line: 8, column: 5 },
      ],
      output: null,
    },
  ],
})
