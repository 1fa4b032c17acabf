import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-non-root-group.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-root-group.yaml'),
      errors: [
        { messageId: 'podGroup', path: '/spec/template/spec/securityContext/fsGroup', line: 14, column: 9 },
        {
          messageId: 'supplemental',
          path: '/spec/template/spec/securityContext/supplementalGroups/1',
          line: 15,
          column: 37,
        },
        {
          messageId: 'containerGroup',
          path: '/spec/template/spec/containers/0/securityContext/runAsGroup',
          line: 20,
          column: 13,
        },
      ],
      output: null,
    },
  ],
})
