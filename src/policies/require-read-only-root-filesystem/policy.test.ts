import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [
    t.fixture('valid-read-only.yaml'),
    {
      name: 'ephemeral debug containers are not checked',
      yaml: 'apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec:\n  containers: []\n  ephemeralContainers:\n    - { name: dbg, image: busybox:1.36 }\n',
    },
  ],
  invalid: [
    {
      ...t.fixture('invalid-writable.yaml'),
      errors: [
        {
          messageId: 'writable',
          path: '/spec/template/spec/containers/0/securityContext/readOnlyRootFilesystem',
          line: 16,
          column: 13,
        },
      ],
      output: t.fixture('invalid-writable.fixed.yaml').yaml,
    },
  ],
})
