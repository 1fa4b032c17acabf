import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  judgeAttestation,
  judgeSignatures,
  parseDockerConfig,
  isLoopbackHost,
  soakTimes,
  RegistryClient,
} from './index.js'

const DIGEST = `sha256:${'cd'.repeat(32)}`
const payloadFor = (digest: string): Buffer =>
  Buffer.from(
    JSON.stringify({
      critical: {
        identity: { 'docker-reference': 'r.example/a' },
        image: { 'docker-manifest-digest': digest },
        type: 'cosign container image signature',
      },
      optional: null,
    }),
  )
const pairs = {
  ecdsa: generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  ed25519: generateKeyPairSync('ed25519'),
  rsa: generateKeyPairSync('rsa', { modulusLength: 2048 }),
}
const signWith = (key: KeyObject, payload: Buffer): Buffer =>
  sign(key.asymmetricKeyType === 'ed25519' ? null : 'sha256', payload, key)

describe('keyed Cosign signatures', () => {
  it.each(Object.keys(pairs) as (keyof typeof pairs)[])(
    'verifies a %s signature of the payload that names the digest',
    (kind) => {
      const payload = payloadFor(DIGEST)
      const { publicKey, privateKey } = pairs[kind]
      expect(
        judgeSignatures([{ payload, signature: signWith(privateKey, payload) }], DIGEST, {
          keys: [{ name: `${kind}.pub`, key: publicKey }],
          keyless: [],
        }),
      ).toEqual({ status: 'verified', signer: `${kind}.pub` })
    },
  )

  it('refuses a signature by another key, and a payload naming another digest', () => {
    const payload = payloadFor(DIGEST)
    const trust = { keys: [{ name: 'a.pub', key: pairs.ecdsa.publicKey }], keyless: [] }
    expect(
      judgeSignatures([{ payload, signature: signWith(pairs.rsa.privateKey, payload) }], DIGEST, trust),
    ).toMatchObject({ status: 'untrusted' })
    const other = payloadFor(`sha256:${'00'.repeat(32)}`)
    expect(
      judgeSignatures([{ payload: other, signature: signWith(pairs.ecdsa.privateKey, other) }], DIGEST, trust),
    ).toMatchObject({ status: 'untrusted', reason: expect.stringContaining('a payload for sha256:00') })
  })

  it('accepts when any one of several signatures is trusted', () => {
    const payload = payloadFor(DIGEST)
    const trust = { keys: [{ name: 'a.pub', key: pairs.ed25519.publicKey }], keyless: [] }
    expect(
      judgeSignatures(
        [
          { payload, signature: Buffer.from('junk') },
          { payload, signature: signWith(pairs.ed25519.privateKey, payload) },
        ],
        DIGEST,
        trust,
      ).status,
    ).toBe('verified')
  })
})

describe('registry access', () => {
  it('uses plain HTTP only for loopback hosts', () => {
    expect(['localhost:5000', '127.0.0.1:5000', '127.9.9.9', '[::1]:5000'].map(isLoopbackHost)).toEqual([
      true,
      true,
      true,
      true,
    ])
    expect(
      ['registry.example.com', '10.0.0.1:5000', 'localhost.example.com', '127.0.0.1.nip.io'].map(isLoopbackHost),
    ).toEqual([false, false, false, false])
  })

  it('refuses a registry the operator did not allow, before any request', async () => {
    let requests = 0
    const client = new RegistryClient({
      allow: new Set(['registry.example.com']),
      credentials: new Map(),
      timeoutMs: 1000,
      fetch: (async () => {
        requests++
        return new Response('{}')
      }) as typeof fetch,
    })
    await expect(client.manifest('169.254.169.254', 'x/y', 'latest')).rejects.toThrow(/not in the allowed registries/)
    expect(requests).toBe(0)
  })

  it('refuses a manifest whose bytes do not match the digest asked for', async () => {
    const client = new RegistryClient({
      allow: new Set(['r.example']),
      credentials: new Map(),
      timeoutMs: 1000,
      fetch: (async () =>
        new Response('{"schemaVersion":2}', {
          headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
        })) as typeof fetch,
    })
    await expect(client.manifest('r.example', 'a/b', DIGEST)).rejects.toThrow(/whose digest is sha256:/)
  })

  it('answers a Bearer challenge with a token from the realm, sending the docker config credentials', async () => {
    const seen: string[] = []
    const fake = (async (url: string, init?: RequestInit) => {
      const auth = (init?.headers as Record<string, string>).authorization ?? ''
      seen.push(`${url} ${auth}`)
      if (url.startsWith('https://auth.example/token')) return new Response(JSON.stringify({ token: 't0k' }))
      if (auth !== 'Bearer t0k')
        return new Response('', {
          status: 401,
          headers: { 'www-authenticate': 'Bearer realm="https://auth.example/token",service="r.example"' },
        })
      return new Response('{"schemaVersion":2}')
    }) as unknown as typeof fetch
    const credentials = parseDockerConfig(
      JSON.stringify({ auths: { 'https://r.example': { auth: Buffer.from('me:pw').toString('base64') } } }),
      'config.json',
    )
    const client = new RegistryClient({ allow: new Set(['r.example']), credentials, timeoutMs: 1000, fetch: fake })
    expect((await client.manifest('r.example', 'a/b', 'v1'))?.json).toEqual({ schemaVersion: 2 })
    expect(seen[1]).toBe(
      `https://auth.example/token?service=r.example&scope=repository%3Aa%2Fb%3Apull Basic ${Buffer.from('me:pw').toString('base64')}`,
    )
  })
})

describe('promotion soak times', () => {
  const H = 3_600_000
  it('takes the longest unbroken run of revisions that kept a digest, up to now', () => {
    const revisions = [
      { time: 0, digests: new Set(['a', 'b']) },
      { time: 10 * H, digests: new Set(['b']) },
      { time: 20 * H, digests: new Set(['a', 'b']) },
    ]
    const soak = soakTimes(revisions, 25 * H)
    expect(soak.get('a')).toBe(10 * H)
    expect(soak.get('b')).toBe(25 * H)
    expect(soak.has('c')).toBe(false)
  })
})

describe('Cosign attestations', () => {
  const statement = (hex: string, predicate: unknown, type = 'https://cyclonedx.org/bom') =>
    Buffer.from(
      JSON.stringify({
        _type: 'https://in-toto.io/Statement/v0.1',
        predicateType: type,
        subject: [{ name: 'r.example/a', digest: { sha256: hex } }],
        predicate,
      }),
    )
  const envelope = (payload: Buffer, key: KeyObject) => {
    const pae = Buffer.concat([Buffer.from(`DSSEv1 28 application/vnd.in-toto+json ${payload.length} `), payload])
    return Buffer.from(
      JSON.stringify({
        payloadType: 'application/vnd.in-toto+json',
        payload: payload.toString('base64'),
        signatures: [{ keyid: '', sig: signWith(key, pae).toString('base64') }],
      }),
    )
  }
  const trust = { keys: [{ name: 'a.pub', key: pairs.ecdsa.publicKey }], keyless: [] }
  const sbom = { bomFormat: 'CycloneDX', specVersion: '1.5', components: [{ name: 'bash' }] }
  const hex = DIGEST.slice(7)

  it('reads an SBOM attestation signed by a trusted key about this digest', () => {
    expect(
      judgeAttestation(envelope(statement(hex, sbom), pairs.ecdsa.privateKey), DIGEST, trust, 'att'),
    ).toMatchObject({ report: { packages: ['bash'] } })
  })

  it('leaves out an attestation by another key, about another digest, or of another predicate', () => {
    expect(judgeAttestation(envelope(statement(hex, sbom), pairs.rsa.privateKey), DIGEST, trust, 'att')).toEqual({
      skipped: 'att: not signed by a trusted key',
    })
    expect(
      judgeAttestation(envelope(statement('00'.repeat(32), sbom), pairs.ecdsa.privateKey), DIGEST, trust, 'att'),
    ).toEqual({ skipped: 'att: the statement is about another artifact' })
    expect(
      judgeAttestation(
        envelope(statement(hex, {}, 'https://slsa.dev/provenance/v1'), pairs.ecdsa.privateKey),
        DIGEST,
        trust,
        'att',
      ),
    ).toMatchObject({ skipped: expect.stringContaining('not an SBOM') })
  })
})
