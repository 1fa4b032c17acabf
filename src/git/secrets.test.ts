import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { corpusPath, hasCorpus, safeSamples, secretSamples } from '../testing/index.js'
import { redactSecretsInFile, scanSecretsInFile, secretFingerprint } from './index.js'

const samples = secretSamples()
const corpusRepos = corpusPath('repos')
const noCorpus = !hasCorpus()

describe('secret detection: the planted corpus', () => {
  it('is large and varied enough to mean something', () => {
    expect(samples.length).toBeGreaterThanOrEqual(40)
    const types = new Set(samples.flatMap((s) => s.expected))
    expect(types.size).toBeGreaterThanOrEqual(15)
  })

  for (const sample of samples) {
    it(`finds ${sample.expected.join(' and ')} in ${sample.file}`, () => {
      const found = scanSecretsInFile(sample.file, sample.text)
      expect(found.map((f) => f.rule)).toEqual(sample.expected)
      const lines = sample.text.split('\n')
      for (const f of found) {
        // Each finding points at a line that holds (part of) a planted value, or the key naming it.
        const window = lines.slice(Math.max(0, f.line - 1), f.line + 2).join('\n')
        expect(
          sample.values.some((v) => window.includes(v.split('\n')[0] as string)) || f.pointer !== undefined,
          `${f.rule} at line ${f.line}`,
        ).toBe(true)
        expect(f.fingerprint).toMatch(/^[0-9a-f]{32}$/)
      }
      const printed = JSON.stringify(found)
      for (const value of sample.values) expect(printed).not.toContain(value)
    })
  }

  it('gives one value the same fingerprint wherever it is, and different values different ones', () => {
    const [a, b] = samples.filter((s) => s.expected[0] === 'github-token')
    const token = a?.values[0] as string
    const elsewhere = scanSecretsInFile('other/place.env', `X_TOKEN=${token}\n`)
    expect(elsewhere[0]?.fingerprint).toBe(scanSecretsInFile(a?.file as string, a?.text as string)[0]?.fingerprint)
    expect(elsewhere[0]?.fingerprint).toBe(secretFingerprint(token))
    expect(scanSecretsInFile(b?.file as string, b?.text as string)[0]?.fingerprint).not.toBe(elsewhere[0]?.fingerprint)
  })

  it('allows a known false positive by its fingerprint', () => {
    const sample = samples.find((s) => s.expected[0] === 'stripe-key') as (typeof samples)[number]
    const [finding] = scanSecretsInFile(sample.file, sample.text)
    const allowed = scanSecretsInFile(sample.file, sample.text, {
      allow: new Map([[finding?.fingerprint as string, 'test-mode fixture']]),
    })
    expect(allowed.map((f) => f.allowed)).toEqual(['test-mode fixture'])
  })

  it('blanks every planted value out of the text kept for code frames, keeping lines and columns', () => {
    for (const sample of samples) {
      const redacted = redactSecretsInFile(sample.file, sample.text)
      expect(redacted.length, sample.file).toBe(sample.text.length)
      expect(redacted.split('\n').length).toBe(sample.text.split('\n').length)
      for (const value of sample.values) expect(redacted, `${sample.file}: ${value.slice(0, 6)}…`).not.toContain(value)
    }
  })
})

describe('secret detection: what must not be reported', () => {
  for (const sample of safeSamples()) {
    it(`reports nothing in ${sample.file}`, () => {
      expect(scanSecretsInFile(sample.file, sample.text)).toEqual([])
    })
  }

  it.skipIf(noCorpus)(
    'reports nothing in the real GitOps repositories of the corpus (none holds a plaintext Secret)',
    () => {
      const findings: string[] = []
      const walk = (dir: string): void => {
        for (const name of readdirSync(dir)) {
          const abs = join(dir, name)
          if (statSync(abs).isDirectory()) {
            if (name !== '.git') walk(abs)
            continue
          }
          const bytes = readFileSync(abs)
          if (bytes.includes(0)) continue
          const file = relative(corpusRepos, abs)
          for (const f of scanSecretsInFile(file, bytes.toString('utf8'))) findings.push(`${file}:${f.line} ${f.rule}`)
        }
      }
      walk(corpusRepos)
      expect(findings).toEqual([])
    },
  )

  it('reports a plaintext Secret unless the file is SOPS-encrypted', () => {
    const secret = 'apiVersion: v1\nkind: Secret\nmetadata: { name: db }\nstringData:\n  password: Zq8vT2mW4nR7kP1x\n'
    expect(scanSecretsInFile('db.yaml', secret).map((f) => f.rule)).toEqual(['kubernetes-secret'])
    const sops = `${secret}sops:\n  mac: ENC[AES256_GCM,data:abc,iv:def,tag:ghi,type:str]\n  version: 3.9.0\n`
    expect(scanSecretsInFile('db.yaml', sops)).toEqual([])
  })
})

describe('redaction', () => {
  it('finds secrets behind any key of a minified JSON line and in env entries', () => {
    const json = '{"a":1,"b":{"c":"d"},"dbPassword":"Kq3vZ8mW1xR7tN2p"}\n'
    expect(redactSecretsInFile('x.json', json)).not.toContain('Kq3vZ8mW1xR7tN2p')
    const env =
      'apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec:\n  containers:\n    - name: a\n      env:\n        - name: CLIENT_SECRET\n          value: "Zx9!pL2#qW7$"\n'
    expect(redactSecretsInFile('p.yaml', env)).not.toContain('Zx9!pL2#qW7$')
  })

  it('leaves files without anything secret-like untouched', () => {
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\ndata:\n  automountServiceAccountToken: "false"\n  LOG_LEVEL: info\n'
    expect(redactSecretsInFile('c.yaml', text)).toBe(text)
  })
})
