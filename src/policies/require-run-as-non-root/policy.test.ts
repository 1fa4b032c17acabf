import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [
    t.fixture('valid-container-level.yaml'),
    t.fixture('valid-pod-level.yaml'),
    t.fixture('valid-user-namespace.yaml'),
  ],
  invalid: [
    {
      ...t.fixture('invalid-explicit-false.yaml'),
      errors: [
        {
          messageId: 'explicitFalse',
          path: '/spec/template/spec/containers/1/securityContext/runAsNonRoot',
          line: 20,
          column: 13,
        },
      ],
      output: null,
    },
    {
      ...t.fixture('invalid-missing.yaml'),
      errors: [{ messageId: 'missing', path: '/spec/containers/0', line: 8, column: 7 }],
      output: t.fixture('invalid-missing.fixed.yaml').yaml,
    },
    {
      name: 'pod-level false',
      yaml: 'apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec:\n  securityContext:\n    runAsNonRoot: false\n  containers:\n    - name: a\n      image: x:1\n      securityContext: { runAsNonRoot: true }\n',
      errors: [{ messageId: 'podExplicitFalse', path: '/spec/securityContext/runAsNonRoot', line: 6, column: 5 }],
    },
  ],
})

const v134 = policyTester(import.meta.url)
v134.run(policy, {
  params: { version: 'v1.34' },
  valid: [],
  invalid: [
    {
      ...v134.fixture('valid-user-namespace.yaml'),
      name: 'before policy v1.35 a user namespace does not exempt the pod',
      errors: [{ messageId: 'missing', path: '/spec/containers/0', line: 9, column: 7 }],
    },
  ],
})
