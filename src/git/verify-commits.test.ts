import { readFileSync, writeFileSync, chmodSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GitFixture } from '../testing/index.js'
import { loadTrustStore, openRepository, verifyRange, type SigningRules, type TrustStore } from './index.js'

// Real keys made by ssh-keygen and gpg, real signed commits made by `git commit -S`;
// verification runs in-process (no gpg or ssh-keygen is called by the code under test).
// Keys are generated during the test, so verification uses the real clock plus a margin.
const NOW = new Date(Date.now() + 3_600_000)

describe('verifyRange', () => {
  let repo: GitFixture
  let trust: TrustStore
  const commits: Record<string, string> = {}
  const rules: SigningRules = {
    groups: { platform: ['alice@example.com', 'bob@example.com'] },
    rules: [{ paths: ['clusters/production/**', 'policies/**'], groups: ['platform'] }],
  }

  const sshKey = (name: string, type: string, bits?: string): string => {
    const file = join(repo.home, name)
    repo.run('ssh-keygen', ['-q', '-t', type, ...(bits ? ['-b', bits] : []), '-N', '', '-C', name, '-f', file])
    return file
  }
  const sshSigned = (key: string, message: string): string => repo.commit(message, '-S', `--gpg-sign=${key}`)
  const pubLine = (principal: string, key: string, options = ''): string =>
    `${principal} ${options}${options ? ' ' : ''}${readFileSync(`${key}.pub`, 'utf8').trim()}`

  beforeAll(async () => {
    repo = new GitFixture()
    repo.git('config', 'gpg.format', 'ssh')
    const alice = sshKey('alice', 'ed25519')
    const p256 = sshKey('erin256', 'ecdsa', '256')
    const p384 = sshKey('erin384', 'ecdsa', '384')
    const p521 = sshKey('erin521', 'ecdsa', '521')
    const rsa = sshKey('rsa', 'rsa', '3072')
    const mallory = sshKey('mallory', 'ed25519')
    const dave = sshKey('dave', 'ed25519')
    const old = sshKey('old', 'ed25519')
    writeFileSync(
      join(repo.home, 'allowed_signers'),
      [
        '# platform team',
        pubLine('alice@example.com', alice, 'namespaces="git"'),
        pubLine('erin@example.com', p256),
        pubLine('erin@example.com', p384),
        pubLine('erin@example.com', p521),
        pubLine('"rsa@example.com"', rsa),
        pubLine('dave@example.com', dave),
        pubLine('old@example.com', old, 'valid-before="20250101Z"'),
        '',
      ].join('\n'),
    )

    repo.write('README.md', 'hello\n')
    commits.unsigned = repo.commit('unsigned start')
    repo.write('clusters/production/app.yaml', 'kind: ConfigMap\n')
    commits.alice = sshSigned(alice, 'alice changes production')
    repo.write('apps/a.yaml', 'a: 1\n')
    commits.p256 = sshSigned(p256, 'ecdsa p256')
    repo.write('apps/a.yaml', 'a: 2\n')
    commits.p384 = sshSigned(p384, 'ecdsa p384')
    repo.write('apps/a.yaml', 'a: 3\n')
    commits.p521 = sshSigned(p521, 'ecdsa p521')
    repo.write('apps/a.yaml', 'a: 4\n')
    commits.rsa = sshSigned(rsa, 'rsa-sha2-512')
    repo.write('apps/a.yaml', 'a: 5\n')
    commits.mallory = sshSigned(mallory, 'signed by a key nobody trusts')
    repo.write('policies/p.yaml', 'x: 1\n')
    commits.dave = sshSigned(dave, 'dave is trusted but not platform')
    repo.write('apps/a.yaml', 'a: 6\n')
    commits.old = sshSigned(old, 'signed after the key stopped being valid')

    // OpenPGP: one key valid now, one that expired (made and used in 2020 with a faked clock).
    const batch = (name: string) =>
      `%no-protection\nKey-Type: eddsa\nKey-Curve: ed25519\nKey-Usage: sign\nName-Real: ${name}\nName-Email: ${name.toLowerCase()}@example.com\nExpire-Date: 0\n%commit\n`
    repo.run('gpg', ['--batch', '--quiet', '--gen-key'], batch('Bob'))
    repo.run(
      'gpg',
      ['--batch', '--quiet', '--faked-system-time', '20200101T000000!', '--gen-key'],
      batch('Carol').replace('Expire-Date: 0', 'Expire-Date: 30'),
    )
    writeFileSync(join(repo.home, 'bob.asc'), repo.run('gpg', ['--armor', '--export', 'bob@example.com']))
    writeFileSync(join(repo.home, 'carol.asc'), repo.run('gpg', ['--armor', '--export', 'carol@example.com']))
    repo.git('config', 'gpg.format', 'openpgp')
    repo.write('policies/p.yaml', 'x: 2\n')
    commits.bob = repo.commit('bob signs policies', '-S', '--gpg-sign=bob@example.com')
    const fakeGpg = join(repo.home, 'gpg-2020')
    writeFileSync(fakeGpg, '#!/bin/sh\nexec gpg --faked-system-time 20200105T000000! "$@"\n')
    chmodSync(fakeGpg, 0o755)
    repo.write('apps/a.yaml', 'a: 7\n')
    repo.git('add', '-A')
    repo.git(
      '-c',
      `gpg.program=${fakeGpg}`,
      'commit',
      '-q',
      '-m',
      'carol signed in 2020',
      '--gpg-sign=carol@example.com',
    )
    commits.carol = repo.git('rev-parse', 'HEAD').trim()

    // Tampered: alice's signed commit object with its message changed, written back as a new object.
    const raw = repo.git('cat-file', 'commit', commits.alice as string)
    const forged = raw.replace('alice changes production', 'harmless docs change')
    commits.tampered = repo.gitInput(forged, 'hash-object', '-w', '-t', 'commit', '--stdin').trim()
    repo.git('update-ref', 'refs/heads/forged', commits.tampered)

    repo.run('gpgconf', ['--kill', 'gpg-agent'])
    const loaded = await loadTrustStore(
      {
        allowedSigners: join(repo.home, 'allowed_signers'),
        openpgpKeys: [join(repo.home, 'bob.asc'), join(repo.home, 'carol.asc')],
      },
      (f) => f.slice(repo.home.length + 1),
    )
    expect(loaded.diagnostics).toEqual([])
    trust = loaded.trust
  })
  afterAll(() => repo.cleanup())

  const verdicts = async (range: string) => {
    const result = await verifyRange(await openRepository(repo.dir), range, trust, rules, NOW)
    return new Map(result.findings.map((f) => [f.commit, f]))
  }

  it('accepts SSH signatures of every supported key type and OpenPGP signatures by trusted keys', async () => {
    const found = await verdicts(`${commits.unsigned}..main`)
    for (const name of ['alice', 'p256', 'p384', 'p521', 'rsa', 'bob'])
      expect(found.get(commits[name] as string), name).toBeUndefined()
  })

  it('rejects each bad commit with its problem and a clear reason', async () => {
    const found = await verdicts('main')
    expect(found.get(commits.unsigned as string)).toMatchObject({
      problem: 'unsigned',
      reason: 'the commit has no signature',
      author: 'Dev One <dev@example.com>',
      paths: ['README.md'],
    })
    expect(found.get(commits.mallory as string)).toMatchObject({
      problem: 'unknown-signer',
      reason: expect.stringMatching(/^signed by SSH key SHA256:\S+, which is not in the allowed signers$/),
    })
    expect(found.get(commits.dave as string)).toMatchObject({
      problem: 'unauthorized-signer',
      paths: ['policies/p.yaml'],
      reason: expect.stringContaining('not in group platform'),
    })
    expect(found.get(commits.old as string)).toMatchObject({
      problem: 'expired-key',
      reason: expect.stringContaining('until 2025-01-01T00:00:00.000Z, but the commit is dated 2026-'),
    })
    expect(found.get(commits.carol as string)).toMatchObject({
      problem: 'expired-key',
      reason: expect.stringMatching(/expired on 2020-01-31; the signature was made on 2020-01-05/),
    })
    expect(found.size).toBe(5)
  })

  it('rejects a commit object modified after signing', async () => {
    const found = await verdicts(`${commits.unsigned}..forged`)
    expect(found.get(commits.tampered as string)).toMatchObject({
      problem: 'bad-signature',
      reason: expect.stringContaining('does not match the signed content'),
    })
    expect(found.get(commits.alice as string)).toBeUndefined()
  })

  it('finds no trusted signer when the trust store is empty', async () => {
    const result = await verifyRange(
      await openRepository(repo.dir),
      `${commits.unsigned}..${commits.alice}`,
      { sshSigners: [], pgpKeys: [] },
      { groups: {}, rules: [] },
      NOW,
    )
    expect(result.findings.map((f) => f.problem)).toEqual(['unknown-signer'])
  })
})
