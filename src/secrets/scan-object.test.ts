import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { scanObject } from './scan-object.js'

// Keys and env names that do and do not name a secret or hold a token keyword (aws: the keyed
// AWS rule), and values of every length class the scan treats apart: short (under the entropy
// rule's 24 characters, not remembered), remembered (24 to 256), long, and multi-line.
const names = ['value', 'image', 'password', 'DB_PASSWORD', 'aws_secret_access_key', 'AWS_KEY', 'apiToken', 'note']
const alphabet = 'aZ9xK/+=_-.~ :@'.split('')
const piece = fc.oneof(
  fc.constantFrom('hunter2xyz', 'Tr0ub4dor&3x', 'queue-724', 'changeme', 'AKIAIOSFODNN7EXAMPLE', 'ghp_', 'AKIA'),
  fc.string({ unit: fc.constantFrom(...alphabet), minLength: 4, maxLength: 48 }),
  // The shape of an AWS secret access key: only its key's name tells it apart.
  fc.string({ unit: fc.constantFrom(...'aB3/+Qz9'.split('')), minLength: 40, maxLength: 40 }),
)
const value = fc
  .array(piece, { minLength: 1, maxLength: 4 })
  .chain((parts) => fc.constantFrom(parts.join(''), parts.join('\n'), parts.join('').repeat(8)))
const object = fc.record({
  kind: fc.constant('ConfigMap'),
  data: fc.dictionary(fc.constantFrom(...names), value, { maxKeys: 5 }),
  env: fc.array(fc.record({ name: fc.constantFrom(...names), value }), { maxLength: 4 }),
})

describe('scanObject', () => {
  it('finds in an object what a fresh module finds, whatever it has scanned before (its memos change no verdict)', async () => {
    await fc.assert(
      fc.asyncProperty(object, object, async (a, b) => {
        // A fresh copy of the module: memos that have seen nothing.
        vi.resetModules()
        const fresh = (await import('./scan-object.js')).scanObject
        const expected = fresh(a)
        // The module shared by the runs has seen the earlier runs' objects; then the same values
        // under the same keys (remembered) and under others.
        scanObject(b)
        scanObject({ kind: 'ConfigMap', data: { ...b.data, ...a.data }, other: a })
        expect(scanObject(structuredClone(a))).toEqual(expected)
        expect(scanObject(a)).toEqual(expected)
      }),
      { numRuns: 300 },
    )
  })

  it('judges a short value by its key, each time', () => {
    for (let i = 0; i < 3; i++) {
      expect(scanObject({ kind: 'ConfigMap', data: { password: 'Tr0ub4dor&3x' } }).map((h) => h.rule)).toEqual([
        'hardcoded-secret',
      ])
      expect(scanObject({ kind: 'ConfigMap', data: { note: 'Tr0ub4dor&3x' } })).toEqual([])
    }
  })

  it('finds the credentials of a service account key file and of a Docker config, at any depth', () => {
    const auth = Buffer.from('deploy:s3cr3t-Pa55w0rd').toString('base64')
    const hits = scanObject({
      kind: 'ConfigMap',
      data: { nested: [{ type: 'service_account', private_key: '-----BEGIN PRIVATE KEY-----\nMIIE\n' }] },
      other: { auths: { 'registry.example.com': { auth } } },
    })
    expect(hits.map((h) => [h.rule, h.pointer])).toEqual([
      ['gcp-service-account-key', '/data/nested/0/private_key'],
      ['docker-registry-auth', '/other/auths/registry.example.com/auth'],
    ])
  })
})
