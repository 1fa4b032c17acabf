import { policyTester } from '../../testing/index.js'
import { emptyFacts } from '../image-rules/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)

t.run(policy, {
  valid: [t.fixture('valid-digests.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-tags.yaml'),
      errors: [
        { messageId: 'notPinned', path: '/spec/template/spec/containers/0/image', line: 14, column: 11 },
        { messageId: 'notPinned', path: '/spec/template/spec/containers/1/image', line: 16, column: 11 },
      ],
      output: null,
    },
  ],
})

const pod = (image: string): string =>
  `apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec:\n  containers:\n    - name: app\n      image: ${image}\n`
const supply = {
  rules: [{ match: ['registry.example.com/**'] }, { match: ['quay.io/**'], requireDigest: true }],
  facts: emptyFacts(),
}

// images rules decide for the images they match: a digest is required in production by default, or where requireDigest says.
t.run(policy, {
  params: { supply },
  environment: 'production',
  valid: [{ name: 'with images rules, an image no rule matches is left alone', yaml: pod('ghcr.io/x/y:1') }],
  invalid: [
    {
      name: 'a tag in production',
      yaml: pod('registry.example.com/shop/web:1.2'),
      errors: [{ messageId: 'notPinned', line: 7 }],
    },
  ],
})
t.run(policy, {
  params: { supply },
  environment: 'staging',
  valid: [{ name: 'a tag in staging, rule without requireDigest', yaml: pod('registry.example.com/shop/web:1.2') }],
  invalid: [
    {
      name: 'requireDigest: true holds in every environment',
      yaml: pod('quay.io/x/y:3'),
      errors: [{ messageId: 'notPinned' }],
    },
  ],
})
