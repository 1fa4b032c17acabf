import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import type { CliIo } from './io.js'
import { main } from './main.js'

async function run(args: string[], cwd = process.cwd()): Promise<{ code: number; stderr: string }> {
  const stderr = new PassThrough()
  let err = ''
  stderr.on('data', (c: Buffer) => (err += c.toString()))
  const io: CliIo = {
    stdout: new PassThrough(),
    stderr,
    stdin: new PassThrough(),
    cwd,
    env: {},
    now: () => new Date('2026-12-05T00:00:00Z'),
  }
  return { code: await main(args, io), stderr: err }
}

describe('palisade serve: usage errors exit 2 before listening', () => {
  it('refuses plain HTTP unless --insecure-http is given', async () => {
    const { code, stderr } = await run(['serve', '--port', '0'])
    expect(code).toBe(2)
    expect(stderr).toMatch(/needs --tls-cert and --tls-key/)
  })

  it('refuses a bad configuration with its file and line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-serve-'))
    writeFileSync(join(dir, 'palisade.yaml'), 'actions:\n  default: block\n')
    const { code, stderr } = await run(['serve', '--insecure-http', '--port', '0', '--config', 'palisade.yaml'], dir)
    expect(code).toBe(2)
    expect(stderr).toMatch(/palisade\.yaml:2:/)
  })

  it('rejects bad flag values', async () => {
    expect((await run(['serve', '--insecure-http', '--failure-policy', 'maybe'])).code).toBe(2)
    expect((await run(['serve', '--insecure-http', '--workers', '0'])).code).toBe(2)
    expect((await run(['serve', '--insecure-http', '--port', '70000'])).code).toBe(2)
  })
})
