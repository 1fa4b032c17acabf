import type { Socket } from 'node:net'

/** How long a closing connection keeps reading (and discarding) what the client still sends. */
export const LINGER_MS = 2_000

/**
 * Close a connection that still has request bytes coming (an answer sent before the body was
 * read: a malformed request, a body over the limit). Closing a socket with unread input makes
 * the kernel send a reset, and a client that is still writing its body then gets ECONNRESET
 * instead of reading the answer already on its way. So: stop parsing (the HTTP server's data
 * listener would report the same parse error again for every chunk), send FIN after the
 * answer, read and discard until the client closes its side, and destroy after `LINGER_MS`
 * at most.
 */
export function lingeringClose(socket: Socket, answer?: string): void {
  // After a response with `connection: close`, node:http calls socket.destroySoon(), which
  // destroys the socket as soon as its FIN is out: take that back, the timer below ends it.
  socket.removeListener('finish', socket.destroy)
  socket.removeAllListeners('data')
  socket.on('data', discard)
  const timer = setTimeout(() => socket.destroy(), LINGER_MS)
  timer.unref()
  socket.once('end', () => socket.destroy())
  socket.once('close', () => clearTimeout(timer))
  if (answer === undefined) socket.end()
  else socket.end(answer)
  socket.resume()
}

function discard(): void {}
