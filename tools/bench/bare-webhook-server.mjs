// The bench's baseline: a bare node HTTPS server that reads the whole request body and
// answers one fixed AdmissionReview (allowed). Same TLS material and Node as `palisade
// serve`, no policy work. Usage: node bare-webhook-server.mjs CERT KEY; prints {"port":N}.
import { readFileSync } from 'node:fs'
import { createServer } from 'node:https'

const [cert, key] = process.argv.slice(2).map((f) => readFileSync(f))
const body = JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: 'fixed', allowed: true } })
const server = createServer({ cert, key, minVersion: 'TLSv1.2' }, (req, res) => {
  const chunks = []
  req.on('data', (c) => chunks.push(c))
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
    res.end(body)
  })
})
server.keepAliveTimeout = 30_000
server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`))
process.on('SIGTERM', () => server.close(() => process.exit(0)))
