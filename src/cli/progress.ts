import type { CliIo } from './io.js'

/**
 * A one-line progress indicator on stderr, only when stderr is a terminal; redrawn
 * at most every 100 ms and erased when done.
 */
export function createProgress(io: CliIo): { update(label: string, done: number, total: number): void; done(): void } {
  const tty = io.stderr.isTTY === true && io.env.CI === undefined
  let last = 0
  let shown = false
  return {
    update(label, done, total) {
      if (!tty) return
      const t = Date.now()
      if (t - last < 100 && done < total) return
      last = t
      shown = true
      io.stderr.write(`\r\x1b[2K${label} ${done}/${total}`)
    },
    done() {
      if (shown) io.stderr.write('\r\x1b[2K')
      shown = false
    },
  }
}
