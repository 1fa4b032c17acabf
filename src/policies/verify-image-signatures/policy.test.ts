import type { SupplyContext } from '../../core/index.js'
import { policyTester } from '../../testing/index.js'
import { emptyFacts } from '../image-rules/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)
const A = 'sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'
const B = 'sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'
const supply: SupplyContext = {
  rules: [{ match: ['registry.example.com/**'], signatures: { keys: ['keys/cosign.pub'], keyless: [] } }],
  facts: {
    ...emptyFacts(),
    signatures: new Map([
      [`registry.example.com/shop/web@${A}`, { status: 'verified', signer: 'keys/cosign.pub' }],
      [`registry.example.com/shop/web@${B}`, { status: 'untrusted', reason: 'signed by a key not in keys/cosign.pub' }],
      [
        'registry.example.com/shop/api@sha256:' + 'c'.repeat(64),
        { status: 'unsigned', reason: 'no sha256-<digest>.sig tag' },
      ],
      ['registry.example.com/shop/db@sha256:' + 'd'.repeat(64), { status: 'error', reason: 'registry unreachable' }],
    ]),
  },
}
const pod = (image: string): string =>
  `apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec:\n  containers:\n    - name: app\n      image: ${image}\n`

t.run(policy, {
  params: { supply },
  valid: [
    t.fixture('valid-trusted.yaml'),
    { name: 'images no rule matches are not checked', yaml: pod('quay.io/x/y:1') },
  ],
  invalid: [
    {
      ...t.fixture('invalid-untrusted.yaml'),
      errors: [
        { messageId: 'untrusted', path: '/spec/template/spec/containers/0/image', line: 15, column: 11 },
        {
          messageId: 'noDigest',
          path: '/spec/template/spec/containers/1/image',
          line: 17,
          column: 11,
          status: 'error',
        },
      ],
      output: null,
    },
    {
      name: 'unsigned digest',
      yaml: pod('registry.example.com/shop/api@sha256:' + 'c'.repeat(64)),
      errors: [{ messageId: 'unsigned', line: 7 }],
    },
    {
      name: 'registry error blocks as an error',
      yaml: pod('registry.example.com/shop/db@sha256:' + 'd'.repeat(64)),
      errors: [{ messageId: 'notChecked', status: 'error' }],
    },
    {
      name: 'no result at all is an error, never a pass',
      yaml: pod('registry.example.com/shop/new@sha256:' + 'e'.repeat(64)),
      errors: [{ messageId: 'notChecked', status: 'error' }],
    },
  ],
})
