/**
 * Hole: when the webhook answered before reading a whole request (a 400 for a request the
 * HTTP parser rejects, a 413 for a body over the limit) it closed the connection with the
 * client's bytes still unread; the kernel then sends a reset and the client, still writing
 * its body, got ECONNRESET or EPIPE instead of the answer (a 400 after a 71 KB body on a
 * keep-alive connection: a few in 20 over TLS; the 413 was never read). The server now
 * sends its answer, half-closes, and discards what still comes before closing.
 */
import { connect } from 'node:tls'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serveTls, type Served } from './serve-fixture.js'

let served: Served
beforeAll(async () => {
  served = await serveTls()
})
afterAll(() => served.stop())

/**
 * Send raw bytes over TLS; resolves with the status line the client read, else the socket
 * error. What matters to a client is that it reads the answer: a write that fails after the
 * answer arrived (the server stops draining a 4 MB body after its bounded linger, which a
 * loaded machine can reach before the client has sent it all) still delivered the 413.
 */
function exchange(...pieces: (string | Buffer)[]): Promise<string> {
  return new Promise((resolve) => {
    let text = ''
    let error = ''
    const socket = connect({ host: '127.0.0.1', port: served.port, servername: 'localhost', ca: served.ca }, () => {
      for (const p of pieces) socket.write(p)
    })
    socket.on('data', (d: Buffer) => (text += d.toString('latin1')))
    socket.on('error', (e: NodeJS.ErrnoException) => (error ||= e.code ?? e.message))
    socket.on('close', () =>
      resolve(text.match(/^HTTP\/1\.1 \d+/)?.[0] ?? (error !== '' ? error : `no status line: ${text.slice(0, 40)}`)),
    )
  })
}

const BODY_71K = 'x'.repeat(71_000)

describe('an answer sent before the request is read is received, not reset', () => {
  it('a 400 for a chunked body the parser rejects, with 71 KB still coming', async () => {
    const head =
      'POST /validate HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n'
    const seen: string[] = []
    for (let i = 0; i < 30; i++) seen.push(await exchange(head, BODY_71K))
    expect(seen.filter((s) => s !== 'HTTP/1.1 400')).toEqual([])
  })

  it('a 400 for a malformed request after a keep-alive one, with 71 KB still coming', async () => {
    const first = 'POST /validate HTTP/1.1\r\nhost: localhost\r\ncontent-length: 2\r\n\r\n{}'
    const seen: string[] = []
    for (let i = 0; i < 30; i++) seen.push(await exchange(first, `POST /validate HT\u0001TP/1.1\r\n\r\n${BODY_71K}`))
    expect(seen.filter((s) => s !== 'HTTP/1.1 400')).toEqual([])
  })

  it('a 413 for a body over the 3 MiB limit', async () => {
    const seen: string[] = []
    for (let i = 0; i < 5; i++)
      seen.push(
        await exchange(
          'POST /validate HTTP/1.1\r\nhost: localhost\r\ncontent-length: 4000000\r\n\r\n',
          Buffer.alloc(4_000_000, 32),
        ),
      )
    expect(seen.filter((s) => s !== 'HTTP/1.1 413')).toEqual([])
  })
})
