import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { CheckResult, Finding } from '../core/index.js'
import { redactSecretsInString } from '../git/index.js'
import { masked, USER_DATA, withMaskedStrings } from './redact-result.js'

// Pieces that make strings with and without secrets, pointers among them (the memo's strings).
const GHP = 'ghp_' + 'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5'
const PIECES = [
  '/spec/template/spec/containers/0',
  '/metadata/annotations/',
  GHP,
  'https://user:s3cr3tPassw0rd@git.example.com/r.git',
  'password',
  'Container "web" ',
  'AKIA' + 'Z7QW3ERT5YUI8OPL',
  '@',
  '://',
  'eyJ',
  'x',
  '-',
  ' ',
  '/',
]
const text = fc
  .array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 6 })), { maxLength: 6 })
  .map((parts) => parts.join(''))

function finding(message: string, path: string, file: string, fixPath: string, stablePath = path): Finding {
  return {
    policy: 'p',
    severity: 'low',
    message,
    action: 'deny',
    status: 'fail',
    resource: { apiVersion: 'v1', kind: 'Pod', name: 'n' },
    path,
    stablePath,
    span: { file, line: 1, column: 1 },
    fix: { safety: 'unsafe', patch: [{ op: 'add', path: fixPath, value: [fixPath, message] }] },
  } as unknown as Finding
}

function expected(f: Finding): Finding {
  const r = redactSecretsInString
  const fixPath = r((f.fix as { patch: { path: string }[] }).patch[0]!.path)
  return {
    ...f,
    message: r(f.message),
    path: r(f.path as string),
    stablePath: r(f.stablePath as string),
    span: { ...f.span!, file: r(f.span!.file) },
    fix: { safety: 'unsafe', patch: [{ op: 'add', path: fixPath, value: [fixPath, r(f.message)] }] },
  } as unknown as Finding
}

describe('withMaskedStrings', () => {
  it('masks every string as redactSecretsInString does, however often and in whatever order strings repeat', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(text, text, text, text, fc.boolean()), { minLength: 1, maxLength: 8 }), (rows) => {
        // Each string in several roles (message, path, file, fix path, stable path: the path
        // itself or another string) and twice: the memo's first answer and its remembered one
        // must both be the uncached function's.
        const findings = rows.flatMap(([a, b, c, d, same]) => [
          finding(a, b, c, d, same ? b : c),
          finding(d, a, b, c, same ? a : `${b}${d}`),
        ])
        const twice = [...findings, ...findings.map((f) => ({ ...f }))]
        const out = withMaskedStrings({ findings: twice, diagnostics: [] } as unknown as CheckResult)
        expect(out.findings).toEqual(twice.map(expected))
      }),
      { numRuns: 300 },
    )
  })

  it('returns a clean finding as it is, and masks a secret in a pointer remembered as clean before', () => {
    const clean = finding('Container "web" has no probe.', '/spec/containers/0', 'a/b.yaml', '/spec/x')
    expect(withMaskedStrings({ findings: [clean], diagnostics: [] } as unknown as CheckResult).findings[0]).toBe(clean)
    expect(masked(`/metadata/annotations/${GHP}`)).not.toContain(GHP)
    expect(masked(`/metadata/annotations/${GHP}`)).toBe(redactSecretsInString(`/metadata/annotations/${GHP}`))
  })

  it('stays exact past the memo cap (hostile input with endless distinct pointers)', () => {
    for (let i = 0; i < 100_500; i++) masked(`/spec/containers/${i}`)
    expect(masked(`/p/${GHP}`)).toBe(redactSecretsInString(`/p/${GHP}`))
    expect(masked('/spec/containers/7')).toBe('/spec/containers/7')
  })
})

describe('maskedFinding', () => {
  it('masks a secret in every field USER_DATA names, each on its own', () => {
    const secret = `https://u:${'hunter2hunter2'}@example.com/${GHP}`
    const base = finding('m', '/p', 'f.yaml', '/q')
    for (const key of USER_DATA) {
      const value =
        key === 'resource'
          ? { apiVersion: 'v1', kind: 'Pod', name: secret }
          : key === 'span'
            ? { file: secret, line: 1, column: 1 }
            : key === 'owners'
              ? [secret]
              : key === 'fix' || key === 'waiver' || key === 'commit'
                ? { text: secret }
                : secret
      const f = { ...base, [key]: value } as Finding
      const out = withMaskedStrings({ findings: [f], diagnostics: [] } as unknown as CheckResult).findings[0]
      expect(JSON.stringify(out), key).not.toContain(GHP)
      expect(JSON.stringify(out), key).not.toContain('hunter2hunter2')
      expect(Object.keys(out!), key).toEqual(Object.keys(f))
    }
  })
})
