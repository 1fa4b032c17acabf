import { describe, expect, it } from 'vitest'
import { parseConfig } from './index.js'

const parse = (text: string) => parseConfig(text, 'palisade.yaml', '.')

describe('palisade.yaml: pull-request gate sections', () => {
  it('reads signing, secrets and review', () => {
    const { config, diagnostics } = parse(`signing:
  allowedSigners: .github/allowed_signers
  openpgpKeys: [keys/platform.asc]
  groups:
    platform: [alice@example.com, "SHA256:abc"]
  rules:
    - paths: ["clusters/production/**", "policies/**"]
      groups: [platform]
secrets:
  allow:
    - fingerprint: 0123456789abcdef0123456789abcdef
      reason: documented test key
  entropy: { minLength: 32, bitsPerChar: 4.5 }
review:
  action: deny
  owners:
    - paths: ["**"]
      owners: ["@acme/platform"]
`)
    expect(diagnostics).toEqual([])
    expect(config?.signing).toMatchObject({
      allowedSigners: '.github/allowed_signers',
      openpgpKeys: ['keys/platform.asc'],
      rules: [{ paths: ['clusters/production/**', 'policies/**'], groups: ['platform'] }],
    })
    expect(config?.signing?.rules[0]?.span?.start.line).toBe(7)
    expect(config?.secrets).toMatchObject({
      allow: [{ fingerprint: '0123456789abcdef0123456789abcdef', reason: 'documented test key' }],
      entropy: { minLength: 32, bitsPerChar: 4.5 },
    })
    expect(config?.review).toEqual({ action: 'deny', owners: [{ paths: ['**'], owners: ['@acme/platform'] }] })
  })

  it('defaults requires-review findings to warn', () => {
    expect(parse('review:\n  owners: []\n').config?.review?.action).toBe('warn')
    expect(parse('# nothing\n').config?.review).toBeUndefined()
  })

  it('reports unknown groups, bad fingerprints and duplicates at their lines', () => {
    const { config, diagnostics } = parse(`signing:
  groups: { platform: [a@x] }
  rules:
    - paths: ["policies/**"]
      groups: [platfrom]
secrets:
  allow:
    - { fingerprint: 0123456789abcdef0123456789abcdef, reason: one }
    - { fingerprint: 0123456789abcdef0123456789abcdef, reason: two }
`)
    expect(config).toBeUndefined()
    expect(diagnostics.map((d) => [d.span?.start.line, d.message])).toEqual([
      [5, 'signing rule names group "platfrom", which signing.groups does not define'],
      [9, 'fingerprint 0123456789abcdef0123456789abcdef is allowed twice'],
    ])
    const bad = parse('secrets:\n  allow:\n    - { fingerprint: not-hex, reason: x y z }\n')
    expect(bad.diagnostics.map((d) => d.span?.start.line)).toEqual([3])
  })
})
