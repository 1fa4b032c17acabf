/**
 * Hole: a TCP connection that never sends a TLS ClientHello was never closed. The server
 * logged the handshake timeout and kept the socket (CLOSE-WAIT), so a client could hold
 * sockets (file descriptors) forever.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closedByServer, logLine, serveTls, tcpConnect, within, type Served } from './serve-fixture.js'

let served: Served
beforeAll(async () => {
  served = await serveTls(['--handshake-timeout', '300'])
})
afterAll(() => served.stop())

describe('a connection that sends no ClientHello', () => {
  it('is closed by the server at the handshake timeout', async () => {
    const sockets = await Promise.all([1, 2, 3].map(() => tcpConnect(served.port)))
    const outcomes = await Promise.all(sockets.map((s) => within(closedByServer(s), 15_000)))
    for (const s of sockets) s.destroy()
    expect(outcomes).toEqual(['closed', 'closed', 'closed'])
    expect(
      await logLine(served, (l) => l.msg === 'TLS handshake failed' && l.code === 'ERR_TLS_HANDSHAKE_TIMEOUT'),
    ).toBeDefined()
  })
})
