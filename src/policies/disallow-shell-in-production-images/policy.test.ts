import type { SupplyContext } from '../../core/index.js'
import { policyTester } from '../../testing/index.js'
import { emptyFacts } from '../image-rules/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)
const supply: SupplyContext = {
  rules: [
    {
      match: ['registry.example.com/**'],
      environments: ['production'],
      reports: { fixableOnly: false, noShell: true, allowEol: true },
    },
  ],
  facts: {
    ...emptyFacts(),
    reportsGiven: true,
    reports: new Map([
      [
        'sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
        { sources: ['a.cdx.json'], vulnerabilities: [], packages: ['ca-certificates', 'tzdata', 'bashful'] },
      ],
      [
        'sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
        { sources: ['b.spdx.json'], vulnerabilities: [], packages: ['musl', 'busybox', 'apk-tools'] },
      ],
    ]),
  },
}

t.run(policy, {
  params: { supply },
  environment: 'production',
  valid: [t.fixture('valid-trusted.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-untrusted.yaml'),
      errors: [
        { messageId: 'shell', path: '/spec/template/spec/containers/0/image', line: 15, column: 11 },
        {
          messageId: 'noReport',
          path: '/spec/template/spec/containers/1/image',
          line: 17,
          column: 11,
          status: 'error',
        },
      ],
      output: null,
    },
  ],
})

t.run(policy, { params: { supply }, environment: 'dev', valid: [t.fixture('invalid-untrusted.yaml')], invalid: [] })
