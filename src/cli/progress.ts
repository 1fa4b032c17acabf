import type { CliIo } from './io.js'

/**
 * A one-line progress indicator on stderr: on a terminal (not in CI), redrawn at most
 * every 100 ms and erased when done. With `force` (`scan --progress`) and no terminal,
 * plain lines instead (`Rendering 3/12`), at most one a second plus each phase's last.
 */
export function createProgress(
  io: CliIo,
  force = false,
): { update(label: string, done: number, total: number): void; done(): void } {
  const tty = io.stderr.isTTY === true && io.env.CI === undefined
  const lines = !tty && force
  let last = 0
  let shown = false
  let lastLine = ''
  return {
    update(label, done, total) {
      if (!tty && !lines) return
      const t = Date.now()
      if (t - last < (lines ? 1000 : 100) && done < total) return
      last = t
      if (lines) {
        const line = `${label} ${done}/${total}`
        if (line !== lastLine) io.stderr.write(`${line}\n`)
        lastLine = line
        return
      }
      shown = true
      io.stderr.write(`\r\x1b[2K${label} ${done}/${total}`)
    },
    done() {
      if (shown) io.stderr.write('\r\x1b[2K')
      shown = false
    },
  }
}
