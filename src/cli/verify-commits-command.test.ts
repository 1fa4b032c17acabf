import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { captureIo, GitFixture } from '../testing/index.js'
import { main } from './main.js'

interface JsonReport {
  summary: { resources: number; findings: number }
  findings: {
    policy: string
    messageId: string
    commit: string
    author: string
    paths: string[]
    message: string
    signer?: string
    action: string
  }[]
}

describe('palisade verify-commits', () => {
  let repo: GitFixture
  let base: string
  const commits: Record<string, string> = {}

  beforeAll(() => {
    repo = new GitFixture()
    const key = (name: string): string => {
      const file = join(repo.home, name)
      repo.run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', file])
      return file
    }
    const alice = key('alice')
    const dave = key('dave')
    repo.git('config', 'gpg.format', 'ssh')
    repo.write(
      '.github/allowed_signers',
      [alice, dave]
        .map((k, i) => `${i === 0 ? 'alice' : 'dave'}@example.com ${readFileSync(`${k}.pub`, 'utf8').trim()}`)
        .join('\n') + '\n',
    )
    repo.write(
      'palisade.yaml',
      'signing:\n  allowedSigners: .github/allowed_signers\n  groups:\n    platform: [alice@example.com]\n  rules:\n    - paths: ["clusters/production/**"]\n      groups: [platform]\n',
    )
    base = repo.commit('configuration', '-S', `--gpg-sign=${alice}`)
    repo.write('clusters/production/app.yaml', 'kind: ConfigMap\n')
    commits.alice = repo.commit('alice changes production', '-S', `--gpg-sign=${alice}`)
    repo.write('clusters/staging/app.yaml', 'kind: ConfigMap\n')
    commits.dave = repo.commit('dave changes staging', '-S', `--gpg-sign=${dave}`)
    repo.write('clusters/production/app.yaml', 'kind: Secret\n')
    commits.daveProd = repo.commit('dave changes production', '-S', `--gpg-sign=${dave}`)
    repo.write('README.md', 'x\n')
    commits.unsigned = repo.commit('unsigned docs')
  })
  afterAll(() => repo.cleanup())

  it('accepts a range of good commits (exit 0)', async () => {
    const io = captureIo(repo.dir)
    expect(await main(['verify-commits', `${base}..${commits.dave}`, '--format', 'json'], io)).toBe(0)
    expect((JSON.parse(io.out()) as JsonReport).summary).toMatchObject({ resources: 2, findings: 0 })
  })

  it('rejects unsigned commits and signers outside the required group, with commit, author and paths (exit 1)', async () => {
    const io = captureIo(repo.dir)
    expect(await main(['verify-commits', `${base}..HEAD`, '--format', 'json'], io)).toBe(1)
    const { findings } = JSON.parse(io.out()) as JsonReport
    expect(findings.map((f) => [f.messageId, f.commit, f.paths, f.action])).toEqual(
      expect.arrayContaining([
        ['unauthorizedSigner', commits.daveProd, ['clusters/production/app.yaml'], 'deny'],
        ['unsigned', commits.unsigned, ['README.md'], 'deny'],
      ]),
    )
    expect(findings).toHaveLength(2)
    expect(findings.find((f) => f.messageId === 'unauthorizedSigner')).toMatchObject({
      author: 'Dev One <dev@example.com>',
      signer: 'dave@example.com',
      policy: 'require-signed-commits',
    })
  })

  it("--record stores each commit's signer and verdict; stats gives the signed share", async () => {
    const store = join(repo.home, 'store')
    const io = captureIo(repo.dir)
    expect(await main(['verify-commits', `${base}..HEAD`, '--format', 'json', '--record', '--store', store], io)).toBe(
      1,
    )
    expect(io.err()).toContain('recorded 4 commits of repo')
    const { withStore } = await import('./store-access.js')
    const rows = await withStore({ engine: 'pglite', dir: store }, (s) =>
      s.client.query<{ sha: string; signer: string | null; signed: boolean; verdict: string }>(
        'SELECT sha, signer, signed, verdict FROM commits',
      ),
    )
    const bySha = Object.fromEntries(rows.map((r) => [r.sha, [r.signer, r.signed, r.verdict]]))
    expect(bySha).toEqual({
      [commits.alice as string]: ['alice@example.com', true, 'verified'],
      [commits.dave as string]: ['dave@example.com', true, 'verified'],
      [commits.daveProd as string]: ['dave@example.com', true, 'unauthorized-signer'],
      [commits.unsigned as string]: [null, false, 'unsigned'],
    })
    const stats = captureIo(repo.dir, {}, new Date())
    expect(await main(['stats', '--format', 'json', '--since', '3650d', '--store', store], stats)).toBe(0)
    expect(JSON.parse(stats.out()).signed).toEqual({ commits: 4, signed: 3, share: 0.75 })
  })

  it('explains each rejection in the text report', async () => {
    const io = captureIo(repo.dir)
    await main(['verify-commits', `${base}..HEAD`], io)
    expect(io.out()).toContain(
      `Commit ${commits.unsigned?.slice(0, 12)} by Dev One <dev@example.com> ("unsigned docs"): unsigned: the commit has no signature.`,
    )
    expect(io.out()).toMatch(
      /dave changes production"\): unauthorized-signer: signed by dave@example\.com \(SHA256:\S+\), who is not in group platform required for clusters\/production\/app\.yaml/,
    )
  })

  it('is a usage error without trusted signers, and names an unreadable signers file', async () => {
    const none = captureIo(repo.dir)
    expect(await main(['verify-commits', 'HEAD~1..HEAD', '--config', join(repo.home, 'missing.yaml')], none)).toBe(2)
    const empty = new GitFixture()
    try {
      empty.write('x', '1')
      empty.commit('one')
      const io = captureIo(empty.dir)
      expect(await main(['verify-commits', 'HEAD'], io)).toBe(2)
      expect(io.err()).toContain('no trusted signers')
      const missing = captureIo(empty.dir)
      expect(await main(['verify-commits', 'HEAD', '--allowed-signers', 'nope'], missing)).toBe(2)
      expect(missing.err()).toContain('cannot read nope')
    } finally {
      empty.cleanup()
    }
  })
})
