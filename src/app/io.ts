/**
 * The outside world a use case reads: the working folder, the environment (tool PATH, CI
 * variables), the clock and stdin. Passed in by the edge (cli, server), never read from
 * `process`, so tests and other front ends give their own.
 */
export interface AppIo {
  stdin: NodeJS.ReadableStream
  cwd: string
  env: Readonly<Record<string, string | undefined>>
  now: () => Date
}

/** A progress callback: a phase (Rendering, Reading, Parsing) and how far it is. */
export type ProgressSink = (label: string, done: number, total: number) => void
