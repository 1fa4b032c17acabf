import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [
    t.fixture('valid-unprivileged.yaml'),
    {
      name: 'non-workload kinds are ignored',
      yaml: 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\ndata: { privileged: "true" }\n',
    },
  ],
  invalid: [
    {
      ...t.fixture('invalid-deployment.yaml'),
      errors: [
        {
          messageId: 'privileged',
          path: '/spec/template/spec/containers/0/securityContext/privileged',
          line: 21,
          column: 13,
        },
      ],
      output: t.fixture('invalid-deployment.fixed.yaml').yaml,
    },
    {
      ...t.fixture('invalid-init-and-ephemeral.yaml'),
      errors: [
        { messageId: 'privileged', path: '/spec/initContainers/0/securityContext/privileged', line: 9, column: 26 },
        {
          messageId: 'privileged',
          path: '/spec/ephemeralContainers/0/securityContext/privileged',
          line: 17,
          column: 9,
        },
      ],
      output: t.fixture('invalid-init-and-ephemeral.fixed.yaml').yaml,
    },
  ],
})
