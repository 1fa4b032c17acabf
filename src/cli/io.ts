import type { AppIo } from '../app/index.js'

/** The outside world as the CLI sees it (the use cases' plus the output streams); tests pass their own. */
export interface CliIo extends AppIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean }
  stderr: NodeJS.WritableStream & { isTTY?: boolean }
}

/**
 * The real process. A closed stdout (`palisade scan | head`) ends the run quietly, as Unix
 * tools do, instead of crashing on EPIPE with a stack trace.
 */
export function processIo(): CliIo {
  if (process.stdout.listenerCount('error') === 0) {
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0)
      throw error
    })
  }
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    cwd: process.cwd(),
    env: process.env,
    now: () => new Date(),
  }
}

/** Signals that stop the server; tests and the CLI pass the process. */
export interface SignalSource {
  once(signal: 'SIGTERM' | 'SIGINT', listener: () => void): unknown
}

/** Exit codes of the DESIGN.md contract. */
export const EXIT = { OK: 0, DENIED: 1, USAGE: 2 } as const
