import { rmSync } from 'node:fs'

/**
 * Files and folders a run writes aside (the streaming scan's spool, a report being written
 * to a temporary name) that an interrupted run must not leave behind. While any is
 * registered, SIGINT and SIGTERM remove them all and then end the process by the same
 * signal, as if no handler had been there (shells see 130 and 143). With nothing
 * registered no handler is installed, so commands that handle these signals themselves
 * (serve, dashboard) are untouched.
 */
const registered = new Set<string>()
const SIGNALS = ['SIGINT', 'SIGTERM'] as const

function onSignal(signal: NodeJS.Signals): void {
  for (const file of registered) {
    try {
      rmSync(file, { recursive: true, force: true, maxRetries: 3 })
    } catch (error) {
      process.stderr.write(`palisade: could not remove ${file} on ${signal}: ${(error as Error).message}\n`)
    }
  }
  registered.clear()
  for (const s of SIGNALS) process.removeListener(s, onSignal)
  // No listener left: the signal's default action ends the process, with the status shells expect.
  // A command that handles the signal itself (it was told too) decides how to end.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal)
}

/** Remove `file` (a file or a folder) if the run is interrupted; call the result once it is gone or kept. */
export function removeOnInterrupt(file: string): () => void {
  if (registered.size === 0) for (const s of SIGNALS) process.on(s, onSignal)
  registered.add(file)
  return () => {
    if (!registered.delete(file)) return
    if (registered.size === 0) for (const s of SIGNALS) process.removeListener(s, onSignal)
  }
}
