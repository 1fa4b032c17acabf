import { generateKeyPairSync } from 'node:crypto'
import { appendFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore } from '../store/index.js'
import { runInProcess } from '../cli/in-process.test-support.js'
import { MONTH, recordMonth } from '../compliance/testing/month-of-runs.js'
import { ENVELOPE_FILE, pae, type DsseEnvelope, type EvidenceStatement } from './index.js'

const scratch = mkdtempSync(path.join(tmpdir(), 'palisade-evidence-'))
const storeDir = path.join(scratch, 'store')
const now = new Date('2026-04-02T00:00:00Z')
const pem = (kind: 'ed25519' | 'ec') =>
  kind === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' })
let bundleCount = 0

function writeKeys(name: string, kind: 'ed25519' | 'ec'): { key: string; pub: string } {
  const { privateKey, publicKey } = pem(kind)
  const key = path.join(scratch, `${name}.key`)
  const pub = path.join(scratch, `${name}.pub`)
  writeFileSync(key, privateKey.export({ type: 'pkcs8', format: 'pem' }))
  writeFileSync(pub, publicKey.export({ type: 'spki', format: 'pem' }))
  return { key, pub }
}

async function exportBundle(key: string): Promise<string> {
  const out = path.join(scratch, `bundle${++bundleCount}`)
  const run = await runInProcess(
    [
      'evidence',
      'export',
      '--since',
      MONTH.since,
      '--until',
      MONTH.until,
      '--out',
      out,
      '--key',
      key,
      '--store',
      storeDir,
    ],
    scratch,
    now,
  )
  expect(run.stderr).toBe('')
  expect(run.code).toBe(0)
  return out
}
const verify = (bundle: string, pub: string) => runInProcess(['evidence', 'verify', bundle, '--key', pub], scratch, now)

beforeAll(async () => {
  const store = await openStore({ engine: 'pglite', dir: storeDir }, { pid: process.pid })
  try {
    await recordMonth(store)
  } finally {
    await store.close()
  }
}, 120_000)
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

describe('evidence export then verify', () => {
  for (const kind of ['ed25519', 'ec'] as const) {
    it(`${kind}: the bundle verifies, its statement covers every file and the period's commits`, async () => {
      const keys = writeKeys(kind, kind)
      const bundle = await exportBundle(keys.key)
      const ok = await verify(bundle, keys.pub)
      expect(ok.stderr).toBe('')
      expect(ok.code).toBe(0)
      expect(ok.stdout).toContain('verified')
      const envelope = JSON.parse(readFileSync(path.join(bundle, ENVELOPE_FILE), 'utf8')) as DsseEnvelope
      expect(envelope.payloadType).toBe('application/vnd.in-toto+json')
      const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as EvidenceStatement
      expect(statement._type).toBe('https://in-toto.io/Statement/v1')
      const names = statement.subject.map((s) => s.name)
      for (const f of [
        'runs.json',
        'policy-set.json',
        'config.json',
        'waivers.json',
        'commits.json',
        'compliance/cis.json',
        'compliance/nsa.json',
        'compliance/soc2.json',
        'compliance/pci.json',
        'compliance/nist.json',
      ])
        expect(names).toContain(f)
      const commits = statement.subject.filter((s) => s.digest.gitCommit !== undefined)
      expect(commits).toHaveLength(MONTH.runDays) // one commit per run day; the run before the period is not covered
      expect(commits.some((s) => s.digest.gitCommit === 'before')).toBe(false)
      const runs = JSON.parse(readFileSync(path.join(bundle, 'runs.json'), 'utf8')) as unknown[]
      expect(runs).toHaveLength(MONTH.runDays)
      const waivers = JSON.parse(readFileSync(path.join(bundle, 'waivers.json'), 'utf8')) as { owner: string }[]
      expect(waivers.map((w) => w.owner)).toEqual([MONTH.waiver.owner])
    }, 60_000)
  }

  it('PAE is the DSSE encoding', () => {
    expect(pae('application/example', Buffer.from('hello world')).toString()).toBe(
      'DSSEv1 19 application/example 11 hello world',
    )
  })
})

describe('evidence verify finds tampering', () => {
  let keys: { key: string; pub: string }
  let bundle: string
  beforeAll(async () => {
    keys = writeKeys('t', 'ed25519')
    bundle = await exportBundle(keys.key)
  }, 60_000)
  const copy = async (): Promise<string> => exportBundle(keys.key)

  for (const file of [
    'runs.json',
    'policy-set.json',
    'config.json',
    'waivers.json',
    'commits.json',
    'compliance/pci.json',
  ]) {
    it(`a flipped byte in ${file} fails naming the file`, async () => {
      const b = await copy()
      const target = path.join(b, file)
      const bytes = readFileSync(target)
      const at = Math.floor(bytes.length / 2)
      bytes.writeUInt8(bytes.readUInt8(at) ^ 0x01, at)
      writeFileSync(target, bytes)
      const run = await verify(b, keys.pub)
      expect(run.code).toBe(1)
      expect(run.stderr).toContain(`${file}: file changed`)
    }, 60_000)
  }

  it('a flipped byte in the envelope fails on the signature', async () => {
    const b = await copy()
    const target = path.join(b, ENVELOPE_FILE)
    const envelope = JSON.parse(readFileSync(target, 'utf8')) as DsseEnvelope
    const payload = Buffer.from(envelope.payload, 'base64')
    payload.writeUInt8(payload.readUInt8(10) ^ 0x01, 10)
    writeFileSync(target, JSON.stringify({ ...envelope, payload: payload.toString('base64') }))
    const run = await verify(b, keys.pub)
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('signature does not verify')
  }, 60_000)

  it('a removed file fails naming it', async () => {
    const b = await copy()
    unlinkSync(path.join(b, 'commits.json'))
    const run = await verify(b, keys.pub)
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('commits.json: file removed')
  }, 60_000)

  it('an added file fails naming it', async () => {
    const b = await copy()
    appendFileSync(path.join(b, 'extra.json'), '{}')
    const run = await verify(b, keys.pub)
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('extra.json: file added')
  }, 60_000)

  it('a file replaced by a symbolic link is not followed', async () => {
    const b = await copy()
    const target = path.join(b, 'config.json')
    const outside = path.join(scratch, 'outside-config.json')
    writeFileSync(outside, readFileSync(target))
    unlinkSync(target)
    symlinkSync(outside, target)
    const run = await verify(b, keys.pub)
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('config.json: is a symbolic link')
  }, 60_000)

  it('another key fails on the signature', async () => {
    const other = writeKeys('other', 'ec')
    const run = await verify(bundle, other.pub)
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('signature does not verify with the given key')
  })

  it('usage errors exit 2: missing --key, a key file that is not PEM', async () => {
    expect((await runInProcess(['evidence', 'verify', bundle], scratch, now)).code).toBe(2)
    writeFileSync(path.join(scratch, 'junk.pem'), 'not a key')
    const bad = await runInProcess(
      ['evidence', 'verify', bundle, '--key', path.join(scratch, 'junk.pem')],
      scratch,
      now,
    )
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('not a PEM public key')
  })
})
