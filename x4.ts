import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { runLoad } from './tools/bench/load.js'
import { podReviews } from './tools/bench/pod-review.js'
const extra = process.argv.slice(2)
const child = spawn(process.execPath, [...extra, 'bin/palisade.js', 'serve', '--tls-cert', '/tmp/c/tls.crt', '--tls-key', '/tmp/c/tls.key', '--port', '0', '--host', '127.0.0.1', '--no-watch'], { stdio: ['ignore', 'inherit', 'pipe'] })
const port = await new Promise<number>((resolve) => createInterface({ input: child.stderr! }).on('line', (l) => { const o = JSON.parse(l); if (o.msg === 'serving') resolve(o.port) }))
const body = podReviews(5000).map((r) => Buffer.from(JSON.stringify(r)))
const ca = readFileSync('/tmp/c/ca.crt')
await runLoad({ port, path: '/validate', body, ca, connections: Number(process.env.CONNS ?? 50), seconds: 2, maxRequests: 1e6 })
const r = await runLoad({ port, path: '/validate', body, ca, connections: Number(process.env.CONNS ?? 50), seconds: 8, maxRequests: 1e6 })
console.log(r)
child.kill('SIGINT')
await new Promise((r) => child.on('exit', r))
