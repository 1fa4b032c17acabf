import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-scoped-role.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-cluster-admin.yaml'),
      errors: [
        { messageId: 'clusterAdmin', path: '/roleRef/name', line: 8, column: 3 },
        { messageId: 'clusterAdminInNamespace', path: '/roleRef/name', line: 22, column: 3 },
        { messageId: 'adminEquivalent', path: '/roleRef/name', line: 45, column: 3 },
      ],
      output: null,
    },
  ],
})
