import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-pod.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-cronjob-ipc.yaml'),
      errors: [{ messageId: 'hostIPC', path: '/spec/jobTemplate/spec/template/spec/hostIPC', line: 11, column: 11 }],
      output: null,
    },
    {
      ...t.fixture('invalid-daemonset.yaml'),
      errors: [
        { messageId: 'hostNetwork', path: '/spec/template/spec/hostNetwork', line: 15, column: 7 },
        { messageId: 'hostPID', path: '/spec/template/spec/hostPID', line: 16, column: 7 },
      ],
      output: null,
    },
  ],
})
