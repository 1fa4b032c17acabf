import { describe, expect, it } from 'vitest'
import { parseConfig, parseDuration } from './index.js'

const HEAD = `environments:
  - name: production
  - name: staging
images:
`

describe('images: rules in palisade.yaml', () => {
  it('reads every field, per environment, with minSoak in milliseconds', () => {
    const text = `${HEAD}  - match: ["registry.example.com/**"]
    environments: [production]
    requireDigest: true
    signatures:
      keys: [keys/cosign.pub]
      keyless: [{issuer: https://token.actions.githubusercontent.com, subject: "^https://github.com/acme/.+"}]
    promotion: {from: staging, minSoak: 1d12h}
    reports: {maxSeverity: high, fixableOnly: true, noShell: true}
`
    const { config, diagnostics } = parseConfig(text, 'palisade.yaml', '.')
    expect(diagnostics).toEqual([])
    expect(config?.images).toEqual([
      {
        match: ['registry.example.com/**'],
        environments: ['production'],
        requireDigest: true,
        signatures: {
          keys: ['keys/cosign.pub'],
          keyless: [{ issuer: 'https://token.actions.githubusercontent.com', subject: '^https://github.com/acme/.+' }],
        },
        promotion: { from: 'staging', minSoak: '1d12h', minSoakMs: 36 * 3_600_000 },
        reports: { maxSeverity: 'high', fixableOnly: true, noShell: true, allowEol: false },
      },
    ])
  })

  it.each([
    ['  - match: []\n', 5, 'images.0.match'],
    ['  - match: ["a/**"]\n    promotion: {from: staging, minSoak: 2 days}\n', 6, 'minSoak'],
    ['  - match: ["a/**"]\n    reports: {maxSeverity: severe}\n', 6, 'maxSeverity'],
    ['  - match: ["a/**"]\n    signature: {keys: [k.pub]}\n', 6, 'unknown field "signature"'],
  ])('schema errors carry the line of the field: %j', (rules, line, text) => {
    const { config, diagnostics } = parseConfig(HEAD + rules, 'palisade.yaml', '.')
    expect(config).toBeUndefined()
    expect(diagnostics[0]?.code).toBe('CONFIG_INVALID')
    expect(diagnostics[0]?.message).toContain(text)
    expect(diagnostics[0]?.span?.start.line).toBe(line)
  })

  it.each([
    ['  - match: ["a/**"]\n    environments: [prod]\n', 6, 'environment "prod"'],
    ['  - match: ["a/**"]\n    promotion: {from: stage}\n', 6, 'environment "stage"'],
    ['  - match: ["a/**"]\n    signatures: {keyless: [{issuer: x, subject: "(unclosed"}]}\n', 6, 'regular expression'],
    ['  - match: ["a/**"]\n    signatures: {}\n', 6, 'names no key'],
  ])('checks the schema cannot express: %j', (rules, line, text) => {
    const { config, diagnostics } = parseConfig(HEAD + rules, 'palisade.yaml', '.')
    expect(config).toBeUndefined()
    expect(diagnostics.map((d) => d.message).join('\n')).toContain(text)
    expect(diagnostics[0]?.span?.start.line).toBe(line)
  })

  it('parses durations', () => {
    expect(parseDuration('48h')).toBe(172_800_000)
    expect(parseDuration('1d30m5s')).toBe(86_400_000 + 1_800_000 + 5000)
  })
})
