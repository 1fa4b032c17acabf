import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-drop-all.yaml'), t.fixture('valid-pinned-v1-21.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-partial-drop.yaml'),
      errors: [
        { messageId: 'notDropped', path: '/spec/containers/0/securityContext/capabilities/drop', line: 11, column: 11 },
        { messageId: 'added', path: '/spec/containers/0/securityContext/capabilities/add/0', line: 14, column: 15 },
      ],
      output: t.fixture('invalid-partial-drop.fixed.yaml').yaml,
    },
    {
      name: 'no security context at all',
      yaml: 'apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec:\n  containers:\n    - name: a\n      image: x:1\n',
      errors: [
        { messageId: 'notDropped', path: '/spec/containers/0/securityContext/capabilities/drop', line: 6, column: 7 },
      ],
    },
  ],
})
