import { readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../src/cli/main.js'
import { captureIo, GitFixture } from '../../src/testing/index.js'

// `verify-commits` reads the trusted signers at the base and warns when the pull request
// changes a trust file; the scan gate (`scan --baseline`) must call the same change out as a
// requires-review finding (trustFileChanged) at the file and line that adds trust, without
// printing the key material. Real keys (ssh-keygen, gpg) in real Git repositories.

const CONFIG =
  'signing:\n  allowedSigners: .github/allowed_signers\n  openpgpKeys: [keys/platform.asc]\nreview:\n  action: deny\n  owners:\n    - paths: ["**"]\n      owners: ["@acme/security"]\n'

interface ReviewFinding {
  policy: string
  messageId: string
  file: string
  line: number
  message: string
  action: string
  owners: string[]
  fingerprint: string
}

describe('scan --baseline calls out changes to the commit-signing trust files', () => {
  const repos: GitFixture[] = []
  let keys: GitFixture
  const pub: Record<string, string> = {}
  let bob = ''
  let eve = ''

  beforeAll(() => {
    keys = new GitFixture('palisade-keys-')
    for (const name of ['alice', 'mallory']) {
      const file = join(keys.home, name)
      keys.run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', file])
      pub[name] = readFileSync(`${file}.pub`, 'utf8').trim()
    }
    const batch = (name: string) =>
      `%no-protection\nKey-Type: eddsa\nKey-Curve: ed25519\nKey-Usage: sign\nName-Real: ${name}\nName-Email: ${name.toLowerCase()}@example.com\nExpire-Date: 0\n%commit\n`
    keys.run('gpg', ['--batch', '--quiet', '--gen-key'], batch('Bob'))
    keys.run('gpg', ['--batch', '--quiet', '--gen-key'], batch('Eve'))
    bob = keys.run('gpg', ['--armor', '--export', 'bob@example.com'])
    eve = keys.run('gpg', ['--armor', '--export', 'eve@example.com'])
    keys.run('gpgconf', ['--kill', 'gpg-agent'])
  })
  afterAll(() => [keys, ...repos].forEach((r) => r.cleanup()))

  const signer = (who: string, options = ''): string => `${who}@example.com ${options}${pub[who] ?? ''}\n`

  /** Base: alice (SSH) and bob (OpenPGP) trusted; the head's files as given; run the gate. */
  async function gate(head: Record<string, string>, config = CONFIG) {
    const repo = new GitFixture()
    repos.push(repo)
    repo.write('palisade.yaml', CONFIG)
    repo.write('.github/allowed_signers', `# trusted\n${signer('alice')}`)
    repo.write('keys/platform.asc', bob)
    repo.write('apps/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: shop}\n')
    repo.commit('base')
    for (const [file, text] of Object.entries(head)) repo.write(file, text)
    if (config !== CONFIG) repo.write('palisade.yaml', config)
    repo.commit('head')
    const io = captureIo(repo.dir)
    const code = await main(
      ['scan', '.', '--baseline', 'HEAD~1', '--policies', 'disallow-privileged-containers', '--format', 'json'],
      io,
    )
    return { code, io }
  }

  async function review(head: Record<string, string>, config?: string) {
    const { code, io } = await gate(head, config)
    const report = JSON.parse(io.out()) as { findings: ReviewFinding[]; errors: { message: string }[] }
    const findings = report.findings.filter((f) => f.messageId === 'trustFileChanged')
    return { code, findings, report, out: io.out(), err: io.err() }
  }

  it('a pull request that adds its own SSH key is a requires-review finding at that line (exit 1 with review.action: deny)', async () => {
    const { code, findings, out } = await review({
      '.github/allowed_signers': `# trusted\n${signer('alice')}${signer('mallory')}`,
    })
    expect(findings.map((f) => [f.policy, f.file, f.line, f.action])).toEqual([
      ['requires-review', '.github/allowed_signers', 3, 'deny'],
    ])
    expect(findings[0]?.message).toMatch(/mallory@example\.com may sign with ssh-ed25519 key SHA256:/)
    expect(findings[0]?.owners).toEqual(['@acme/security'])
    // The key itself (its base64) is not printed.
    expect(out).not.toContain((pub.mallory ?? '').split(' ')[1])
    expect(code).toBe(1)
  })

  it('widening an existing signer (another principal for the same key) is called out; the fingerprint is stable across runs', async () => {
    const head = {
      '.github/allowed_signers': `# trusted\n${signer('alice').replace('alice@', 'alice@example.com,*@')}`,
    }
    const first = await review(head)
    expect(first.findings.map((f) => f.line)).toEqual([2])
    expect(first.findings[0]?.message).toContain('alice@example.com, *@example.com may sign')
    const second = await review(head)
    expect(second.findings.map((f) => f.fingerprint)).toEqual(first.findings.map((f) => f.fingerprint))
  })

  it('a cert-authority line (which Palisade skips but git may honour) is called out', async () => {
    const { findings } = await review({
      '.github/allowed_signers': `# trusted\n${signer('alice')}*@example.com cert-authority ${pub.mallory ?? ''}\n`,
    })
    expect(findings.map((f) => [f.line, f.message.includes('cannot read')])).toEqual([[3, true]])
  })

  it('an OpenPGP key block appended to a trusted key file is called out at its first line', async () => {
    const { findings, out } = await review({ 'keys/platform.asc': bob + eve })
    const begin = bob.split('\n').length
    expect(findings.map((f) => [f.file, f.line])).toEqual([['keys/platform.asc', begin]])
    expect(findings[0]?.message).toContain('adds an OpenPGP public key block')
    expect(out).not.toContain(eve.split('\n').slice(3, 4)[0])
  })

  it('removing a signer, editing comments or leaving the files alone raises nothing', async () => {
    expect(
      (await review({ 'apps/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n' })).findings,
    ).toEqual([])
    const { findings, code } = await review({
      '.github/allowed_signers': '# nobody any more\n',
      'keys/platform.asc': '',
    })
    expect(findings).toEqual([])
    expect(code).toBe(0)
  })

  it("a trust file that only the head's palisade.yaml names is compared with the base's absence of it", async () => {
    const config = CONFIG.replace('.github/allowed_signers', 'trust/signers')
    const { findings, report } = await review({ 'trust/signers': signer('mallory') }, config)
    expect(findings.map((f) => [f.file, f.line])).toEqual([['trust/signers', 1]])
    const relaxed = (report.findings as ReviewFinding[]).filter((f) => f.messageId === 'palisadeSigningRelaxed')
    expect(relaxed).toHaveLength(1)
  })

  it('a trust file that is a link out of the repository is not read, and a warning says so', async () => {
    const outside = join(keys.home, 'outside_signers')
    writeFileSync(outside, signer('mallory'))
    const repo = new GitFixture()
    repos.push(repo)
    repo.write('palisade.yaml', CONFIG)
    repo.write('.github/allowed_signers', signer('alice'))
    repo.commit('base')
    rmSync(join(repo.dir, '.github/allowed_signers'))
    symlinkSync(outside, join(repo.dir, '.github/allowed_signers'))
    const io = captureIo(repo.dir)
    await main(['scan', '.', '--baseline', 'HEAD', '--format', 'json'], io)
    const report = JSON.parse(io.out()) as { findings: ReviewFinding[]; errors: { message: string }[] }
    expect(report.findings.filter((f) => f.messageId === 'trustFileChanged')).toEqual([])
    expect(report.errors.map((e) => e.message)).toContain(
      '.github/allowed_signers leads outside the repository: its change to the trusted signers is not compared with the base',
    )
  })
})
