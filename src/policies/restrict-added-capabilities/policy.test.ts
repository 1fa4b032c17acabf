import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-default-set.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-sys-admin.yaml'),
      errors: [
        {
          messageId: 'added',
          path: '/spec/template/spec/containers/0/securityContext/capabilities/add/1',
          line: 19,
          column: 19,
        },
        {
          messageId: 'added',
          path: '/spec/template/spec/containers/0/securityContext/capabilities/add/2',
          line: 20,
          column: 19,
        },
      ],
      output: null,
    },
    {
      name: 'CAP_ prefix and lower case are not the default names',
      yaml: 'apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec:\n  containers:\n    - name: a\n      image: x:1\n      securityContext: { capabilities: { add: [chown, CAP_CHOWN] } }\n',
      errors: [
        { messageId: 'added', path: '/spec/containers/0/securityContext/capabilities/add/0' },
        { messageId: 'added', path: '/spec/containers/0/securityContext/capabilities/add/1' },
      ],
    },
  ],
})
