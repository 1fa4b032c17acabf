import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../src/cli/main.js'
import { captureIo, GitFixture } from '../../src/testing/index.js'

// A pull request can edit the allowed-signers file or an OpenPGP key file and add its own
// key. With a base (`verify-commits BASE..HEAD`), the trusted signers are read from the
// base commit's blobs, so the PR's own commits signed by its new key are rejected, and the
// head's change to a trust file is called out (a warning that it needs review).
// Real keys (ssh-keygen, gpg) and real signed commits (`git commit -S`).

interface Report {
  findings: { messageId: string; commit: string }[]
}

const run = async (dir: string, args: string[]) => {
  const io = captureIo(dir)
  const code = await main(['verify-commits', ...args], io)
  return { code, out: io.out(), err: io.err() }
}

describe('trusted signers come from the base of the range', () => {
  let repo: GitFixture
  let base = ''
  let sshAttack = ''
  let pgpAttack = ''

  beforeAll(() => {
    repo = new GitFixture()
    const sshKey = (name: string): string => {
      const file = join(repo.home, name)
      repo.run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', file])
      return file
    }
    const line = (who: string, key: string) => `${who}@example.com ${readFileSync(`${key}.pub`, 'utf8').trim()}\n`
    const alice = sshKey('alice')
    const mallory = sshKey('mallory')
    const batch = (name: string) =>
      `%no-protection\nKey-Type: eddsa\nKey-Curve: ed25519\nKey-Usage: sign\nName-Real: ${name}\nName-Email: ${name.toLowerCase()}@example.com\nExpire-Date: 0\n%commit\n`
    repo.run('gpg', ['--batch', '--quiet', '--gen-key'], batch('Bob'))
    repo.run('gpg', ['--batch', '--quiet', '--gen-key'], batch('Eve'))
    const armored = (email: string) => repo.run('gpg', ['--armor', '--export', email])

    repo.git('config', 'gpg.format', 'ssh')
    repo.write('.github/allowed_signers', line('alice', alice))
    repo.write('keys/platform.asc', armored('bob@example.com'))
    repo.write(
      'palisade.yaml',
      'signing:\n  allowedSigners: .github/allowed_signers\n  openpgpKeys: [keys/platform.asc]\n',
    )
    base = repo.commit('trust alice (ssh) and bob (openpgp)', '-S', `--gpg-sign=${alice}`)
    repo.git('branch', 'main-base', base)

    // The PR: mallory adds her SSH key and signs with it.
    repo.write('.github/allowed_signers', line('alice', alice) + line('mallory', mallory))
    repo.write('apps/a.yaml', 'a: 1\n')
    sshAttack = repo.commit('mallory trusts herself', '-S', `--gpg-sign=${mallory}`)
    // ...and eve appends her OpenPGP key to the trusted key file and signs with it.
    repo.git('config', 'gpg.format', 'openpgp')
    repo.write('keys/platform.asc', armored('bob@example.com') + armored('eve@example.com'))
    repo.write('apps/a.yaml', 'a: 2\n')
    pgpAttack = repo.commit('eve trusts herself', '-S', '--gpg-sign=eve@example.com')
    repo.run('gpgconf', ['--kill', 'gpg-agent'])
  })
  afterAll(() => repo.cleanup())

  it('rejects commits signed by keys the pull request itself added to the trust files (exit 1)', async () => {
    const { code, out } = await run(repo.dir, ['main-base..HEAD', '--format', 'json'])
    expect(code).toBe(1)
    const report = JSON.parse(out) as Report
    expect(report.findings.map((f) => [f.commit, f.messageId]).sort()).toEqual(
      [
        [sshAttack, 'unknownSigner'],
        [pgpAttack, 'unknownSigner'],
      ].sort(),
    )
  })

  it("calls out the head's change to each trust file as needing review", async () => {
    const { err, out } = await run(repo.dir, ['main-base..HEAD'])
    const text = err + out
    expect(text).toMatch(/\.github\/allowed_signers differs from the base main-base: .*needs review/)
    expect(text).toMatch(/keys\/platform\.asc differs from the base main-base: .*needs review/)
  })

  it('a trust file palisade.yaml names that the base does not have is a configuration error (exit 2)', async () => {
    repo.write('.github/new_signers', readFileSync(join(repo.dir, '.github/allowed_signers'), 'utf8'))
    // The configuration sits in .github (paths are relative to it): the file is inside the repository.
    const inRepo = join(repo.dir, '.github', 'palisade.yaml')
    writeFileSync(inRepo, 'signing:\n  allowedSigners: new_signers\n')
    try {
      const { code, err } = await run(repo.dir, ['main-base..HEAD', '--config', inRepo])
      expect(code).toBe(2)
      expect(err).toMatch(/cannot read \.github\/new_signers: not in the base commit main-base/)
    } finally {
      rmSync(inRepo)
      rmSync(join(repo.dir, '.github/new_signers'))
    }
  })

  it('a single ref is the base of REF...HEAD: the commits after it, trusted by its own files', async () => {
    const { code, out } = await run(repo.dir, [sshAttack, '--format', 'json'])
    // Only eve's commit is checked, against the key file as mallory's commit holds it (bob only).
    expect(code).toBe(1)
    const report = JSON.parse(out) as Report
    expect(report.findings.map((f) => [f.commit, f.messageId])).toEqual([[pgpAttack, 'unknownSigner']])
  })

  it("without a base (a ref at HEAD's own commit) the working tree is read, as documented", async () => {
    const { code } = await run(repo.dir, ['HEAD', '--format', 'json'])
    // The whole history, trusted by the head's own files (eve's key is the key file's second
    // armored block, read as well as the first): it passes.
    expect(code).toBe(0)
  })
})

describe("palisade.yaml's signing rules come from the base of the range", () => {
  let repo: GitFixture
  let drop = ''
  beforeAll(() => {
    repo = new GitFixture()
    const sshKey = (name: string): string => {
      const file = join(repo.home, name)
      repo.run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', file])
      return file
    }
    const alice = sshKey('alice')
    const dave = sshKey('dave')
    repo.git('config', 'gpg.format', 'ssh')
    repo.write(
      '.github/allowed_signers',
      [
        `alice@example.com ${readFileSync(`${alice}.pub`, 'utf8').trim()}`,
        `dave@example.com ${readFileSync(`${dave}.pub`, 'utf8').trim()}`,
      ].join('\n') + '\n',
    )
    repo.write(
      'palisade.yaml',
      'signing:\n  allowedSigners: .github/allowed_signers\n  groups:\n    platform: [alice@example.com]\n  rules:\n    - paths: ["clusters/production/**"]\n      groups: [platform]\n',
    )
    repo.commit('platform signs production', '-S', `--gpg-sign=${alice}`)
    repo.git('branch', 'main-base')
    // dave (trusted, not platform) drops the rule in the same change that edits production.
    repo.write('palisade.yaml', 'signing:\n  allowedSigners: .github/allowed_signers\n')
    repo.write('clusters/production/app.yaml', 'kind: ConfigMap\n')
    drop = repo.commit('dave drops the rule and changes production', '-S', `--gpg-sign=${dave}`)
  })
  afterAll(() => repo.cleanup())

  it("a range that removes the rule protecting the paths it changes is still held to the base's rule (exit 1)", async () => {
    const { code, out } = await run(repo.dir, ['main-base..HEAD', '--format', 'json'])
    expect(code).toBe(1)
    const report = JSON.parse(out) as Report
    expect(report.findings.map((f) => [f.commit, f.messageId])).toEqual([[drop, 'unauthorizedSigner']])
  })
})
