import { PassThrough } from 'node:stream'
import type { CliIo } from './io.js'
import { main } from './main.js'

/** What a CLI run printed, and its exit code. */
export interface CliRun {
  code: number
  stdout: string
  stderr: string
}

/**
 * An io for running CLI code in the test process: captured stdout and stderr, an empty
 * stdin and environment, and a fixed clock (default 2026-01-01).
 */
export function capturedIo(
  cwd: string = process.cwd(),
  now = new Date('2026-01-01T00:00:00Z'),
): { io: CliIo; output(): { stdout: string; stderr: string } } {
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  let out = ''
  let err = ''
  stdout.on('data', (c: Buffer) => (out += c.toString()))
  stderr.on('data', (c: Buffer) => (err += c.toString()))
  const io: CliIo = { stdout, stderr, stdin: new PassThrough(), cwd, env: {}, now: () => now }
  return { io, output: () => ({ stdout: out, stderr: err }) }
}

/** Run `palisade ARGS` in the test process (through `main`, as the binary does). */
export async function runInProcess(args: readonly string[], cwd?: string, now?: Date): Promise<CliRun> {
  const { io, output } = capturedIo(cwd, now)
  const code = await main(args, io)
  return { code, ...output() }
}
