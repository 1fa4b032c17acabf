// The bench's baseline: a bare node HTTPS server that reads the whole request body and
// answers one fixed AdmissionReview (allowed). Same TLS material and Node as `palisade
// serve`, no policy work. Usage: node bare-webhook-server.mjs CERT KEY [WORKERS]; prints
// {"port":N} once listening. WORKERS > 1 runs that many node:cluster workers on the port,
// as `palisade serve --workers N` does, so the two compare like for like.
import { Buffer } from 'node:buffer'
import cluster from 'node:cluster'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:https'

const [certFile, keyFile, workersArg] = process.argv.slice(2)
const workers = Number(workersArg ?? 1)

if (workers > 1 && cluster.isPrimary) {
  let listening = 0
  cluster.on('listening', (_worker, address) => {
    if (++listening === workers) process.stdout.write(`${JSON.stringify({ port: address.port })}\n`)
  })
  for (let i = 0; i < workers; i++) cluster.fork()
  process.on('SIGTERM', () => {
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM')
    process.exit(0)
  })
} else {
  const body = JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    response: { uid: 'fixed', allowed: true },
  })
  const server = createServer(
    { cert: readFileSync(certFile), key: readFileSync(keyFile), minVersion: 'TLSv1.2' },
    (req, res) => {
      const chunks = []
      req.on('data', (c) => chunks.push(c))
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
        res.end(body)
      })
    },
  )
  server.keepAliveTimeout = 30_000
  server.listen(0, '127.0.0.1', () => {
    if (!cluster.isWorker) process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`)
  })
  process.on('SIGTERM', () => server.close(() => process.exit(0)))
}
