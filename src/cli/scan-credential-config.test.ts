import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { captureIo } from '../testing/index.js'
import { main } from './main.js'

interface JsonReport {
  findings: { policy: string; messageId: string; message: string }[]
}

// Built at run time so this file holds no literal secret-looking value.
const PASSWORD = `Vq7m${'Lx2-pR9w'}`
const RANDOM = `Qz8${'vLm2Xc9Rt4Bn'}7Kp3Wd5Hy6Jf`
const manifest = `apiVersion: v1
kind: ConfigMap
metadata: { name: app, namespace: team }
data:
  db_password: ${PASSWORD}
  note: ${RANDOM}
`

describe('scan: palisade.yaml secrets: sets the credential policy parameters', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'palisade-credential-config-'))
    writeFileSync(join(dir, 'app.yaml'), manifest)
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  const scan = async (config?: string): Promise<JsonReport['findings']> => {
    if (config !== undefined) writeFileSync(join(dir, 'palisade.yaml'), config)
    const io = captureIo(dir)
    await main(['scan', '.', '--format', 'json', '--policies', 'disallow-hardcoded-credentials'], io)
    return (JSON.parse(io.out()) as JsonReport).findings
  }

  it('secrets.allow leaves out the allowed fingerprint, secrets.entropy moves the threshold', async () => {
    const all = await scan()
    expect(all.map((f) => f.messageId).sort()).toEqual(['hardcodedSecret', 'highEntropyValue'])
    const fingerprint = /fingerprint ([0-9a-f]{32})/.exec(
      all.find((f) => f.messageId === 'hardcodedSecret')?.message ?? '',
    )?.[1]
    expect(fingerprint).toBeDefined()
    const allowed = await scan(
      `secrets:\n  allow:\n    - fingerprint: ${fingerprint}\n      reason: test\n  entropy: { minLength: 40 }\n`,
    )
    expect(allowed).toEqual([])
  })

  it('policies.params overrides secrets:', async () => {
    const found = await scan(
      'secrets:\n  entropy: { minLength: 40 }\npolicies:\n  params:\n    disallow-hardcoded-credentials: { entropyMinLength: 24 }\n',
    )
    expect(found.map((f) => f.messageId).sort()).toEqual(['hardcodedSecret', 'highEntropyValue'])
  })
})
