/**
 * Hole: SIGTERM did not end `palisade serve` while a connection that never sent a TLS
 * ClientHello was open (sockets were tracked only after the handshake, so shutdown never
 * closed them; the process was alive 100 s after SIGTERM).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getText } from '../e2e/webhook-process.js'
import { serveTls, tcpConnect, within, type Served } from './serve-fixture.js'

let served: Served
beforeAll(async () => {
  // The default handshake timeout (10 s) is longer than the wait below: shutdown itself must end them.
  served = await serveTls(['--shutdown-timeout', '1000'])
})
afterAll(() => served.stop())

describe('SIGTERM with silent connections open', () => {
  it('ends the connections and exits 0 after the grace period', async () => {
    const sockets = await Promise.all(Array.from({ length: 20 }, () => tcpConnect(served.port)))
    for (const s of sockets) s.on('error', () => undefined)
    // Accepted in order: once a later connection is answered, the server holds all twenty.
    expect(await getText(served.port, '/healthz', served.ca)).toBe('ok\n')
    served.child.kill('SIGTERM')
    const code = await within(served.exited, 8_000)
    for (const s of sockets) s.destroy()
    expect(code).toBe(0)
    expect(served.logs.map((l) => l.msg)).toContain('stopped')
  })
})
