/**
 * Hole: over TLS 1.2 the webhook accepted cipher suites without forward secrecy (static RSA
 * key exchange such as AES128-GCM-SHA256): a recorded session could be decrypted later
 * with the serving key. Only ECDHE with AEAD ciphers are accepted now; TLS 1.3 is unchanged.
 */
import { connect, type ConnectionOptions } from 'node:tls'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serveTls, type Served } from './serve-fixture.js'

let served: Served
beforeAll(async () => {
  served = await serveTls()
})
afterAll(() => served.stop())

/** Handshake with a real TLS client; resolves with the negotiated suite or the error code. */
function handshake(options: ConnectionOptions): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(
      { host: '127.0.0.1', port: served.port, servername: 'localhost', ca: served.ca, ...options },
      () => {
        resolve(`${socket.getProtocol() ?? ''} ${socket.getCipher().name}`)
        socket.destroy()
      },
    )
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(`refused: ${error.code ?? error.message}`))
  })
}

describe('TLS cipher suites', () => {
  it.each(['AES128-GCM-SHA256', 'AES256-GCM-SHA384', 'AES128-SHA256', 'AES128-SHA', 'DHE-RSA-AES128-SHA256'])(
    'refuses a TLS 1.2 client offering only %s',
    async (suite) => {
      expect(await handshake({ maxVersion: 'TLSv1.2', ciphers: suite })).toMatch(/^refused: /)
    },
  )

  it('accepts ECDHE with AES-GCM over TLS 1.2', async () => {
    expect(await handshake({ maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' })).toBe(
      'TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256',
    )
  })

  it('negotiates TLS 1.3 with a default client', async () => {
    expect(await handshake({})).toMatch(/^TLSv1\.3 TLS_/)
  })
})
