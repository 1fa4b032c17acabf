import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { removeOnInterrupt } from './interrupt-cleanup.js'

const dir = mkdtempSync(join(tmpdir(), 'palisade-interrupt-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const MODULE = fileURLToPath(new URL('./interrupt-cleanup.ts', import.meta.url))

/** A process that registers a folder and a file, says so, and waits to be signalled. */
async function signalled(signal: 'SIGINT' | 'SIGTERM', own = false) {
  const folder = join(dir, `scratch-${signal}-${own}`)
  const file = join(dir, `report-${signal}-${own}.tmp`)
  mkdirSync(join(folder, 'deep'), { recursive: true })
  writeFileSync(join(folder, 'deep', 'x'), 'x')
  writeFileSync(file, 'half a report')
  const script = join(dir, `wait-${signal}-${own}.ts`)
  writeFileSync(
    script,
    `import { removeOnInterrupt } from ${JSON.stringify(MODULE)}\n` +
      `removeOnInterrupt(${JSON.stringify(folder)}); removeOnInterrupt(${JSON.stringify(file)})\n` +
      (own ? `process.once('${signal}', () => setTimeout(() => process.exit(7), 50))\n` : '') +
      `process.stdout.write('ready\\n'); setInterval(() => {}, 1000)\n`,
  )
  const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'pipe'] })
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()))
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.on('exit', (code, sig) => resolve(sig ?? code)),
  )
  child.kill(signal)
  return { signal: await exited, folder: existsSync(folder), file: existsSync(file) }
}

describe('removeOnInterrupt', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    '%s removes what is registered and ends the process by it',
    async (sig) => {
      expect(await signalled(sig)).toEqual({ signal: sig, folder: false, file: false })
    },
    30_000,
  )

  it("cleans up but leaves ending to a command's own handler of the signal (serve's graceful stop)", async () => {
    expect(await signalled('SIGTERM', true)).toEqual({ signal: 7, folder: false, file: false })
  }, 30_000)

  it('installs its handlers only while something is registered (serve and dashboard keep theirs alone)', () => {
    const before = process.listenerCount('SIGINT')
    const forgetA = removeOnInterrupt(join(dir, 'a'))
    const forgetB = removeOnInterrupt(join(dir, 'b'))
    expect([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM') > 0]).toEqual([before + 1, true])
    forgetA()
    forgetA()
    expect(process.listenerCount('SIGINT')).toBe(before + 1)
    forgetB()
    expect(process.listenerCount('SIGINT')).toBe(before)
  })
})
