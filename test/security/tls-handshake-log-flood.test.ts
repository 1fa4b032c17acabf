/**
 * Hole: every failed TLS handshake wrote a log line, so any unauthenticated client could
 * flood the log by opening connections that send garbage. At most a few lines per interval
 * are written now, and the count of the suppressed ones is written too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
const HANDSHAKE_LOG_LIMIT = { lines: 10 }
import { closedByServer, logLine, serveTls, tcpConnect, within, type Served } from './serve-fixture.js'

let served: Served
beforeAll(async () => {
  served = await serveTls(['--shutdown-timeout', '1000'])
})
afterAll(() => served.stop())

describe('failed TLS handshakes', () => {
  it('are logged at most HANDSHAKE_LOG_LIMIT.lines times per interval, then counted', async () => {
    const attempts = 60
    for (let i = 0; i < attempts; i++) {
      const socket = await tcpConnect(served.port)
      const closed = closedByServer(socket)
      socket.write('GET / HTTP/1.1\r\nhost: x\r\n\r\n') // not a ClientHello
      expect(await within(closed, 10_000)).toBe('closed')
      socket.destroy()
    }
    served.child.kill('SIGTERM')
    expect(await within(served.exited, 10_000)).toBe(0)
    const failed = served.logs.filter((l) => l.msg === 'TLS handshake failed')
    expect(failed.length).toBe(HANDSHAKE_LOG_LIMIT.lines)
    const summary = await logLine(served, (l) => typeof l.suppressed === 'number')
    expect(summary?.suppressed).toBe(attempts - HANDSHAKE_LOG_LIMIT.lines)
  })
})
