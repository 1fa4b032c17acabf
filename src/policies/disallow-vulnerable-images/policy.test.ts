import type { ImageReportFact, SupplyContext } from '../../core/index.js'
import { policyTester } from '../../testing/index.js'
import { emptyFacts } from '../image-rules/index.js'
import policy from './policy.js'

const t = policyTester(import.meta.url)
const clean: ImageReportFact = {
  sources: ['a.json'],
  vulnerabilities: [
    { id: 'CVE-1', package: 'zlib', severity: 'critical' },
    { id: 'CVE-2', package: 'curl', severity: 'high', fixedVersion: '8.1' },
  ],
  packages: [],
}
const bad: ImageReportFact = {
  sources: ['b.json'],
  vulnerabilities: [{ id: 'CVE-3', package: 'openssl', severity: 'critical', fixedVersion: '3.0.9' }],
  packages: [],
  os: { name: 'debian 9.13', eol: true },
}
const supply: SupplyContext = {
  rules: [
    {
      match: ['registry.example.com/**'],
      reports: { maxSeverity: 'high', fixableOnly: true, noShell: false, allowEol: false },
    },
  ],
  facts: {
    ...emptyFacts(),
    reportsGiven: true,
    reports: new Map([
      ['sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', clean],
      ['sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', bad],
    ]),
  },
}

t.run(policy, {
  params: { supply },
  // valid: a critical without a fix and a fixable high are not above "high, fixable only".
  valid: [t.fixture('valid-trusted.yaml')],
  invalid: [
    {
      ...t.fixture('invalid-untrusted.yaml'),
      errors: [
        { messageId: 'vulnerable', path: '/spec/template/spec/containers/0/image', line: 15, column: 11 },
        { messageId: 'endOfLife', path: '/spec/template/spec/containers/0/image', line: 15, column: 11 },
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
