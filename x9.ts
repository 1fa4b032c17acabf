import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { runLoad } from './tools/bench/load.js'
import { podReview } from './tools/bench/pod-review.js'
const cpu = (pid: number) => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' '); return (Number(f[11]) + Number(f[12])) * 10 }
const body = Buffer.from(JSON.stringify(podReview()))
const ca = readFileSync('/tmp/c/ca.crt')
for (const flags of process.argv.slice(2).map(s => s ? s.split(' ') : [])) {
  const child = spawn(process.execPath, [...flags, 'bin/palisade.js', 'serve', '--tls-cert', '/tmp/c/tls.crt', '--tls-key', '/tmp/c/tls.key', '--port', '0', '--host', '127.0.0.1', '--no-watch'], { stdio: ['ignore', 'ignore', 'pipe'] })
  const port = await new Promise<number>((resolve) => createInterface({ input: child.stderr! }).on('line', (l) => { const o = JSON.parse(l); if (o.msg === 'serving') resolve(o.port) }))
  for (const c of [50]) {
    await runLoad({ port, path: '/validate', body, ca, connections: c, seconds: 1.5, maxRequests: 1e6 })
    const c0 = cpu(child.pid!)
    const r = await runLoad({ port, path: '/validate', body, ca, connections: c, seconds: 3, maxRequests: 1e6 })
    console.log(JSON.stringify(flags), c, 'conns', r.rps.toFixed(0), 'rps', ((cpu(child.pid!) - c0) / r.requests * 1000).toFixed(0), 'us/req p99', r.p99.toFixed(2))
  }
  child.kill('SIGTERM')
}
process.exit(0)
