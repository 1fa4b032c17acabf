import { Writable } from 'node:stream'
import { Readable } from 'node:stream'
import type { CliIo } from '../cli/io.js'

/** A CliIo whose stdout and stderr are collected as text, for CLI tests. */
export function captureIo(
  cwd: string,
  env: Record<string, string | undefined> = {},
  now = new Date(),
): CliIo & { out(): string; err(): string } {
  const sink = (): Writable & { text: string } => {
    const stream = new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        stream.text += chunk.toString()
        done()
      },
    }) as Writable & { text: string }
    stream.text = ''
    return stream
  }
  const stdout = sink()
  const stderr = sink()
  return {
    stdout,
    stderr,
    stdin: Readable.from([]),
    cwd,
    env,
    now: () => now,
    out: () => stdout.text,
    err: () => stderr.text,
  }
}
