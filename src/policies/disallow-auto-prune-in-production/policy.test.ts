import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  environment: 'production',
  valid: [t.fixture('valid-manual-prune.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-auto-prune.yaml'),
      errors: [{ messageId: 'autoPrune', path: '/spec/syncPolicy/automated/prune', line: 12, column: 7 }],
      output: null,
    },
  ],
})

const elsewhere = policyTester(import.meta.url)
elsewhere.run(policy, {
  environment: 'staging',
  valid: [{ ...elsewhere.fixture('invalid-auto-prune.yaml'), name: 'automated prune is fine outside production' }],
  invalid: [],
})
