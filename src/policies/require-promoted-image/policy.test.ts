import type { SupplyContext } from '../../core/index.js'
import { policyTester } from '../../testing/index.js'
import { emptyFacts } from '../image-rules/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)
const HOUR = 3_600_000
const promotion = { from: 'staging', minSoak: '48h', minSoakMs: 48 * HOUR }
const supply: SupplyContext = {
  rules: [{ match: ['registry.example.com/**'], environments: ['production'], promotion }],
  facts: {
    ...emptyFacts(),
    promotion: new Map([
      [
        'staging',
        new Map([
          ['sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 72 * HOUR],
          ['sha256:' + 'c'.repeat(64), 5 * HOUR],
        ]),
      ],
    ]),
  },
}
const pod = (image: string): string =>
  `apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec:\n  containers:\n    - name: app\n      image: ${image}\n`

t.run(policy, {
  params: { supply },
  environment: 'production',
  valid: [t.fixture('valid-trusted.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-untrusted.yaml'),
      errors: [
        { messageId: 'neverRan', path: '/spec/template/spec/containers/0/image', line: 15, column: 11 },
        { messageId: 'noDigest', path: '/spec/template/spec/containers/1/image', line: 17, column: 11 },
      ],
      output: null,
    },
    {
      name: 'soaked less than minSoak',
      yaml: pod('registry.example.com/a/b@sha256:' + 'c'.repeat(64)),
      errors: [{ messageId: 'tooShort', line: 7 }],
    },
  ],
})

t.run(policy, {
  params: { supply },
  environment: 'staging',
  valid: [{ name: 'the rule is for production only', yaml: pod('registry.example.com/a/b@sha256:' + 'f'.repeat(64)) }],
  invalid: [],
})

t.run(policy, {
  params: { supply: { ...supply, facts: { ...emptyFacts(), promotionError: 'not a Git repository' } } },
  environment: 'production',
  valid: [],
  invalid: [
    {
      name: 'history that could not be read blocks',
      yaml: pod('registry.example.com/a/b@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'),
      errors: [{ messageId: 'notChecked', status: 'error' }],
    },
  ],
})
