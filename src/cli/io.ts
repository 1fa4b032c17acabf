/** The outside world as the CLI sees it; tests pass their own. */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean }
  stderr: NodeJS.WritableStream & { isTTY?: boolean }
  stdin: NodeJS.ReadableStream
  cwd: string
  env: Readonly<Record<string, string | undefined>>
  now: () => Date
}

/** The real process. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, cwd: process.cwd(), env: process.env, now: () => new Date() }
}

/** Exit codes of the DESIGN.md contract. */
export const EXIT = { OK: 0, DENIED: 1, USAGE: 2 } as const
