import { policyTester } from '../../testing/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  params: { allowed: ['registry.example.com/', 'ghcr.io/acme/'] },
  valid: [t.fixture('valid-allowed.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-public-images.yaml'),
      errors: [
        { messageId: 'notAllowed', path: '/spec/template/spec/containers/1/image', line: 16, column: 11 },
        { messageId: 'notAllowed', path: '/spec/template/spec/containers/2/image', line: 18, column: 11 },
      ],
      output: null,
    },
  ],
})

const unconfigured = policyTester(import.meta.url)
unconfigured.run(policy, {
  valid: [],
  invalid: [
    {
      ...unconfigured.fixture('valid-allowed.yaml'),
      name: 'with no allowed registries configured, every image is refused',
      errors: [
        { messageId: 'notAllowed', path: '/spec/containers/0/image', line: 8, column: 7 },
        { messageId: 'notAllowed', path: '/spec/containers/1/image', line: 10, column: 7 },
      ],
      output: null,
    },
  ],
})
