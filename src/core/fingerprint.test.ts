import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { findingFingerprint, fingerprintPrefix, fingerprintWithin } from './fingerprint.js'
import type { ResourceRef } from './resource.js'

/** The fingerprint as it was first defined: the parts joined by NUL, SHA-256, 32 hex digits. */
function joinedFingerprint(parts: {
  policyId: string
  messageId: string
  resource: ResourceRef
  stablePath: string
  identity?: string
}): string {
  const { resource: r, identity } = parts
  const group = r.apiVersion.includes('/') ? r.apiVersion.slice(0, r.apiVersion.indexOf('/')) : ''
  const who = identity === undefined ? [r.namespace ?? '', r.name] : ['\u0001rendered', identity]
  const key = [parts.policyId, parts.messageId, group, r.kind, ...who, parts.stablePath].join('\u0000')
  return createHash('sha256').update(key).digest('hex').slice(0, 32)
}

// Texts with the separators themselves, non-ASCII and lone surrogates: the hash reads UTF-8.
const text = fc.string({
  unit: fc.oneof(
    fc.constantFrom('\u0000', '\u0001', '/', '~', 'é', '\u{1F600}', '\ud800'),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  ),
  maxLength: 12,
})
const resource: fc.Arbitrary<ResourceRef> = fc
  .record({ apiVersion: text, kind: text, namespace: fc.option(text, { nil: undefined }), name: text })
  .map(({ namespace, ...rest }) => (namespace === undefined ? rest : { ...rest, namespace }))
const finding = fc.record({ policyId: text, messageId: text, stablePath: text })

describe('findingFingerprint', () => {
  it('is the joined-parts digest for any finding, whether built at once or from a shared resource prefix', () => {
    fc.assert(
      fc.property(
        resource,
        fc.option(text, { nil: undefined }),
        fc.array(finding, { maxLength: 4 }),
        (r, identity, fs) => {
          const prefix = fingerprintPrefix(r, identity)
          for (const f of fs) {
            const parts = { ...f, resource: r, ...(identity === undefined ? {} : { identity }) }
            const expected = joinedFingerprint(parts)
            expect(findingFingerprint(parts)).toBe(expected)
            expect(fingerprintWithin(prefix, f)).toBe(expected)
          }
        },
      ),
      { numRuns: 2000 },
    )
  })

  it('keeps the fingerprints findings were stored with', () => {
    // A fixed value: baselines and the history store compare fingerprints across versions.
    const resource = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' }
    const parts = { policyId: 'require-run-as-non-root', messageId: 'missing', resource, stablePath: '/spec' }
    expect(findingFingerprint(parts)).toBe('c32533f03938334edbd180c118efc4ec')
  })
})
