import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FORMAT_NAMES } from '../report/index.js'
import { captureIo, corpusPath, GitFixture, hasCorpus, safeSamples, secretSamples } from '../testing/index.js'
import { main } from './main.js'

const samples = secretSamples(7)
const corpusRepos = corpusPath('repos')
const noCorpus = !hasCorpus()

/** Every run of 10 characters of a value: a report may show a few characters at each end, never more. */
function leaks(output: string, values: readonly string[]): string[] {
  const found: string[] = []
  for (const value of values) {
    for (let i = 0; i + 10 <= value.length; i++) {
      const window = value.slice(i, i + 10)
      if (output.includes(window)) {
        found.push(`${value.slice(0, 4)}… (contains "${window}")`)
        break
      }
    }
  }
  return found
}

interface JsonReport {
  findings: {
    policy: string
    messageId: string
    file: string
    line: number
    fingerprint: string
    commit?: string
    author?: string
    waiver?: unknown
  }[]
}

describe('palisade secrets', () => {
  let dir: string
  const values = samples.flatMap((s) => s.values)

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'palisade-secrets-'))
    for (const s of [...samples, ...safeSamples()]) {
      mkdirSync(dirname(join(dir, s.file)), { recursive: true })
      writeFileSync(join(dir, s.file), s.text)
    }
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('finds every planted credential, at its file, and nothing in the safe files', async () => {
    const io = captureIo(dir)
    expect(await main(['secrets', '.', '--format', 'json'], io)).toBe(1)
    const report = JSON.parse(io.out()) as JsonReport
    const byFile = new Map<string, string[]>()
    for (const f of report.findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f.messageId])
    for (const s of samples) expect(byFile.get(s.file), s.file).toHaveLength(s.expected.length)
    expect(report.findings.filter((f) => f.file.startsWith('safe/'))).toEqual([])
    expect(report.findings).toHaveLength(samples.reduce((n, s) => n + s.expected.length, 0))
  })

  for (const format of FORMAT_NAMES) {
    it(`never prints a secret: secrets --format ${format}`, async () => {
      const io = captureIo(dir)
      expect(await main(['secrets', '.', '--format', format], io)).toBe(1)
      expect(io.out().length).toBeGreaterThan(200)
      expect(leaks(io.out() + io.err(), values)).toEqual([])
    })

    it(`never prints a secret: scan --format ${format}`, async () => {
      const io = captureIo(dir)
      await main(['scan', '.', '--format', format], io)
      expect(io.out()).toContain('disallow-hardcoded-credentials')
      expect(leaks(io.out() + io.err(), values)).toEqual([])
    })
  }

  it('passes when the only finding is allowed by fingerprint in palisade.yaml', async () => {
    const one = mkdtempSync(join(tmpdir(), 'palisade-allow-'))
    try {
      const sample = samples.find((s) => s.expected[0] === 'npm-token') as (typeof samples)[number]
      writeFileSync(join(one, 'ci.env'), `NPM=${sample.values[0]}\n`)
      const first = captureIo(one)
      expect(await main(['secrets', '.', '--format', 'json'], first)).toBe(1)
      const fingerprint = (JSON.parse(first.out()) as JsonReport).findings[0]?.fingerprint
      writeFileSync(
        join(one, 'palisade.yaml'),
        `secrets:\n  allow:\n    - fingerprint: ${fingerprint}\n      reason: the registry's documented test token\n`,
      )
      const second = captureIo(one)
      expect(await main(['secrets', '.', '--format', 'json'], second)).toBe(0)
      expect((JSON.parse(second.out()) as JsonReport).findings[0]?.waiver).toMatchObject({
        reason: "the registry's documented test token",
      })
    } finally {
      rmSync(one, { recursive: true, force: true })
    }
  })

  it.skipIf(noCorpus)('reports nothing in the real GitOps repositories of the corpus', async () => {
    const io = captureIo(corpusRepos)
    const code = await main(['secrets', '.', '--format', 'json'], io)
    expect((JSON.parse(io.out()) as JsonReport).findings).toEqual([])
    expect(code).toBe(0)
  })
})

describe('palisade secrets --git', () => {
  let repo: GitFixture
  const token = samples.find((s) => s.expected[0] === 'github-token')?.values[0] as string
  const password = samples.find((s) => s.file === 'apps/.env')?.values[0] as string
  const old = samples.find((s) => s.expected[0] === 'slack-token')?.values[0] as string
  let added: string

  beforeAll(() => {
    repo = new GitFixture()
    repo.write('apps/.env', `SLACK_TOKEN=${old}\nLOG_LEVEL=info\n`)
    repo.commit('old secret, before the range')
    repo.write('apps/.env', `SLACK_TOKEN=${old}\nLOG_LEVEL=debug\nDB_PASSWORD=${password}\n`)
    repo.write('ci/release.sh', `#!/bin/sh\nexport GITHUB_TOKEN=${token}\n`)
    added = repo.commit('add release script')
    repo.write('README.md', 'docs\n')
    repo.commit('docs only')
  })
  afterAll(() => repo.cleanup())

  it('reports what each commit of the range added, with the commit and its author, and nothing older', async () => {
    const io = captureIo(repo.dir)
    expect(await main(['secrets', '--git', 'HEAD~2..HEAD', '--format', 'json'], io)).toBe(1)
    const report = JSON.parse(io.out()) as JsonReport
    expect(report.findings.map((f) => [f.file, f.line, f.messageId, f.commit, f.author])).toEqual([
      ['apps/.env', 3, 'hardcodedSecret', added, 'Dev One <dev@example.com>'],
      ['ci/release.sh', 2, 'githubToken', added, 'Dev One <dev@example.com>'],
    ])
    expect(leaks(io.out(), [token, password, old])).toEqual([])
  })

  it('finds nothing in a range that added no secret', async () => {
    const io = captureIo(repo.dir)
    expect(await main(['secrets', '--git', 'HEAD~1..HEAD', '--format', 'json'], io)).toBe(0)
  })
})
