import { generateKeyPairSync, sign } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  addedLines,
  matchPatternList,
  parseAllowedSigners,
  parseCommitObject,
  parseSshSignature,
  parseSshTime,
  selectTreeManifests,
  sshSignedData,
  verifySshSignature,
  type TreeEntry,
} from './index.js'

const KEY = 'AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl'

describe('parseAllowedSigners', () => {
  it('reads principals, options and keys as git and ssh-keygen write them', () => {
    const { signers, diagnostics } = parseAllowedSigners(
      [
        '# team',
        '',
        `alice@example.com,bob@example.com ssh-ed25519 ${KEY} alice laptop`,
        `"*@ci.example.com" namespaces="git,file",valid-after="20250101",valid-before="20261231235959Z" ssh-ed25519 ${KEY}`,
      ].join('\n'),
      'allowed_signers',
    )
    expect(diagnostics).toEqual([])
    expect(signers.map((s) => [s.principals, s.namespaces, s.line])).toEqual([
      [['alice@example.com', 'bob@example.com'], undefined, 3],
      [['*@ci.example.com'], ['git', 'file'], 4],
    ])
    expect(signers[1]?.validBefore?.toISOString()).toBe('2026-12-31T23:59:59.000Z')
    expect(signers[0]?.fingerprint).toBe('SHA256:+DiY3wvvV6TuJJhbpZisF/zLDA0zPMSvHdkr4UvCOqU')
  })

  it('reports bad lines at their line and keeps the good ones', () => {
    const { signers, diagnostics } = parseAllowedSigners(
      [
        `a@x cert-authority ssh-ed25519 ${KEY}`,
        `b@x ssh-dss ${KEY}`,
        `c@x nope="1" ssh-ed25519 ${KEY}`,
        'd@x ssh-ed25519 !!!',
        `e@x ssh-ed25519 ${KEY}`,
      ].join('\n'),
      'signers',
    )
    expect(signers.map((s) => s.principals[0])).toEqual(['e@x'])
    expect(diagnostics.map((d) => [d.span?.start.line, d.message.replace(/^signers:\d+: /, '')])).toEqual([
      [1, 'cert-authority lines are not supported (SSH certificates are out of scope); line skipped'],
      [
        2,
        'unsupported key type "ssh-dss" (supported: ssh-ed25519, ecdsa-sha2-nistp256, ecdsa-sha2-nistp384, ecdsa-sha2-nistp521, ssh-rsa)',
      ],
      [3, 'unknown option "nope"'],
      [4, 'key is not base64'],
    ])
  })

  it('parses ssh-keygen times and OpenSSH pattern lists', () => {
    expect(parseSshTime('20260102Z')?.toISOString()).toBe('2026-01-02T00:00:00.000Z')
    expect(parseSshTime('202601021530Z')?.toISOString()).toBe('2026-01-02T15:30:00.000Z')
    expect(parseSshTime('20261302Z')).toBeUndefined()
    expect(matchPatternList('git', ['file', 'g?t'])).toBe(true)
    expect(matchPatternList('alice@corp.example', ['*@corp.example', '!alice@*'])).toBe(false)
    expect(matchPatternList('git', ['file'])).toBe(false)
  })
})

describe('SSH signatures', () => {
  // A signature assembled by hand in the PROTOCOL.sshsig layout, signed with node:crypto.
  const wire = (...parts: (Buffer | string)[]): Buffer =>
    Buffer.concat(
      parts.flatMap((p) => {
        const b = typeof p === 'string' ? Buffer.from(p) : p
        const n = Buffer.alloc(4)
        n.writeUInt32BE(b.length)
        return [n, b]
      }),
    )
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url')
  const blob = wire('ssh-ed25519', raw)
  const armor = (namespace: string, message: Buffer, version = 1): string => {
    const signature = sign(null, sshSignedData(namespace, 'sha512', message), privateKey)
    const v = Buffer.alloc(4)
    v.writeUInt32BE(version)
    const body = Buffer.concat([
      Buffer.from('SSHSIG'),
      v,
      wire(blob, namespace, '', 'sha512', wire('ssh-ed25519', signature)),
    ])
    return `-----BEGIN SSH SIGNATURE-----\n${body.toString('base64').replace(/.{70}/g, '$&\n')}\n-----END SSH SIGNATURE-----\n`
  }
  const message = Buffer.from('tree 0123\n\ncommit\n')

  it('verifies a good signature and names the key', () => {
    const sig = parseSshSignature(armor('git', message))
    const result = verifySshSignature(sig, message, 'git')
    expect(result.ok).toBe(true)
    expect(sig.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/)
  })

  it('rejects changed content, another namespace and malformed armor with reasons', () => {
    const sig = parseSshSignature(armor('git', message))
    expect(verifySshSignature(sig, Buffer.from('tree 0124\n\ncommit\n'), 'git')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('does not match the signed content'),
    })
    expect(verifySshSignature(parseSshSignature(armor('file', message)), message, 'git')).toMatchObject({
      ok: false,
      reason: 'signature is for namespace "file", not "git"',
    })
    expect(() => parseSshSignature(armor('git', message, 2))).toThrow('unsupported SSH signature version 2')
    expect(() => parseSshSignature('-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH SIGNATURE-----')).toThrow(
      /truncated/,
    )
  })
})

describe('parseCommitObject', () => {
  const signed = [
    'tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904',
    'parent 1111111111111111111111111111111111111111',
    'author Dev One <dev@example.com> 1767225600 +0100',
    'committer Dev One <dev@example.com> 1767225660 +0100',
    'gpgsig -----BEGIN SSH SIGNATURE-----',
    ' U1NIU0lH',
    ' ',
    ' -----END SSH SIGNATURE-----',
    'mergetag object 2222222222222222222222222222222222222222',
    ' type commit',
    '',
    'Subject line',
    '',
    'Body.',
    '',
  ].join('\n')

  it('takes the signature out and leaves exactly the bytes that were signed', () => {
    const commit = parseCommitObject('a'.repeat(40), Buffer.from(signed))
    expect(commit.signature).toBe('-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n\n-----END SSH SIGNATURE-----\n')
    expect(commit.payload.toString()).toBe(signed.replace(/gpgsig [^\n]*\n( [^\n]*\n)*/, ''))
    expect(commit).toMatchObject({
      parents: ['1'.repeat(40)],
      subject: 'Subject line',
      author: { email: 'dev@example.com' },
    })
    expect(commit.committer.date.toISOString()).toBe('2026-01-01T00:01:00.000Z')
  })

  it('uses gpgsig-sha256 in SHA-256 repositories and drops both signature headers from the payload', () => {
    const both = signed
      .replace('gpgsig ', 'gpgsig-sha256 ')
      .replace('mergetag', 'gpgsig -----BEGIN PGP SIGNATURE-----\n abc\n -----END PGP SIGNATURE-----\nmergetag')
    const commit = parseCommitObject('b'.repeat(64), Buffer.from(both))
    expect(commit.signature).toContain('SSH SIGNATURE')
    expect(commit.payload.toString()).not.toContain('SIGNATURE')
    expect(parseCommitObject('c'.repeat(40), Buffer.from(both)).signature).toContain('PGP SIGNATURE')
  })

  it('has no signature when unsigned', () => {
    expect(
      parseCommitObject('d'.repeat(40), Buffer.from(signed.replace(/gpgsig [^\n]*\n( [^\n]*\n)*/, ''))).signature,
    ).toBeUndefined()
  })
})

describe('addedLines', () => {
  it('gives the new line numbers of every added line, by file', () => {
    const patch = [
      'diff --git a/a.yaml b/a.yaml',
      'index 1..2 100644',
      '--- a/a.yaml',
      '+++ b/a.yaml',
      '@@ -3,0 +4,2 @@ spec:',
      '+  x: 1',
      '+  y: 2',
      '@@ -10 +12 @@',
      '-old',
      '+new',
      'diff --git a/gone.txt b/gone.txt',
      'deleted file mode 100644',
      '--- a/gone.txt',
      '+++ /dev/null',
      '@@ -1 +0,0 @@',
      '-bye',
      'diff --git "a/with\\ttab.env" "b/with\\ttab.env"',
      '--- /dev/null',
      '+++ "b/with\\ttab.env"',
      '@@ -0,0 +1 @@',
      '+K=v',
    ].join('\n')
    expect(Object.fromEntries([...addedLines(patch)].map(([f, l]) => [f, [...l]]))).toEqual({
      'a.yaml': [4, 5, 12],
      'with\ttab.env': [1],
    })
  })
})

describe('selectTreeManifests', () => {
  const entry = (path: string, mode = '100644'): TreeEntry => ({ mode, type: 'blob', id: '0'.repeat(40), path })
  const tree = [
    'apps/web.yaml',
    'apps/kustomization.yaml',
    'apps/notes.md',
    'charts/shop/Chart.yaml',
    'charts/shop/values.yaml',
    'charts/shop/templates/deploy.yaml',
    'node_modules/x/package.json',
    'infra/.palisadeignore',
    'infra/generated/big.yaml',
    'infra/db.yaml',
    'infra/skip.json',
  ].map((p) => entry(p))
  const ignore = (p: string): string | undefined => (p === 'infra/.palisadeignore' ? 'generated/\n*.json\n' : undefined)

  it('applies the same rules as discovery on disk', () => {
    expect(selectTreeManifests([...tree, entry('apps/link.yaml', '120000')], [''], ignore).map((e) => e.path)).toEqual([
      'apps/web.yaml',
      'charts/shop/Chart.yaml',
      'charts/shop/values.yaml',
      'infra/db.yaml',
    ])
  })

  it('limits to the given folders and always takes a file given by name', () => {
    expect(selectTreeManifests(tree, ['infra', 'apps/kustomization.yaml'], ignore).map((e) => e.path)).toEqual([
      'apps/kustomization.yaml',
      'infra/db.yaml',
    ])
  })
})
