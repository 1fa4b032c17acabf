import type { SupplyContext } from '../../core/index.js'
import { emptyFacts } from './select.js'

/**
 * What the generated policy pages (tools/gen-docs.ts) scan the image policies' fixtures
 * with: the facts `src/supply` would have gathered, made up for the examples (the web
 * digest is signed by an untrusted key, never ran in staging, has a fixable critical and
 * ships busybox). Without them the invalid examples would show no findings.
 */
const B = `sha256:${'b'.repeat(64)}`
const HOUR = 3_600_000
const supply: SupplyContext = {
  rules: [
    {
      match: ['registry.example.com/**'],
      signatures: { keys: ['keys/cosign.pub'], keyless: [] },
      promotion: { from: 'staging', minSoak: '48h', minSoakMs: 48 * HOUR },
      reports: { maxSeverity: 'high', fixableOnly: true, noShell: true, allowEol: false },
    },
  ],
  facts: {
    ...emptyFacts(),
    signatures: new Map([
      [
        `registry.example.com/shop/web@${B}`,
        { status: 'untrusted', reason: '1 signature(s): a signature by none of the trusted keys' },
      ],
    ]),
    promotion: new Map([['staging', new Map()]]),
    reports: new Map([
      [
        B,
        {
          sources: ['reports/web.trivy.json'],
          vulnerabilities: [{ id: 'CVE-2024-0002', package: 'openssl', severity: 'critical', fixedVersion: '3.0.9' }],
          packages: ['busybox', 'openssl'],
        },
      ],
    ]),
    reportsGiven: true,
  },
}

/** Policy id → the parameters and environment its documentation examples run with. */
export const DOC_EXAMPLES: Readonly<Record<string, { params: Record<string, unknown>; environment: string }>> =
  Object.fromEntries(
    [
      'verify-image-signatures',
      'require-promoted-image',
      'disallow-vulnerable-images',
      'disallow-shell-in-production-images',
    ].map((id) => [id, { params: { supply }, environment: 'production' }]),
  )
