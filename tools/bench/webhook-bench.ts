/**
 * `npm run bench:webhook`: the admission webhook under load, next to a bare HTTPS server.
 *
 * Starts the built `palisade serve` (full built-in library, default flags) and a bare node
 * HTTPS server that answers a fixed AdmissionReview (bare-webhook-server.mjs), each in its
 * own process, both over TLS on loopback with certificates from `palisade certs`. Drives
 * each with the same keep-alive load generator (load.ts) at 1 and at 50 connections with
 * ~4 KB Pod AdmissionReviews (a ReplicaSet's pods: same spec, each its own uid and name),
 * bounded by time and by count, after a warm-up. The load
 * generator runs in this process and shares the machine's cores with both servers, so
 * compare the ratio, not the absolute figures.
 *
 * Floors: 1 connection p99 < 5 ms; 50 connections >= 1/3 of the bare server's throughput.
 * The same comparison runs again with two node:cluster workers on each side (`serve
 * --workers 2` against a bare server forking two workers): a like-for-like check of what
 * a second core buys. Kubernetes deployments run one worker per pod and scale replicas.
 *
 * Options: --seconds N (per run, default 5), --max N (requests per run, default 100000),
 * --workers 1,2 (configurations to run).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { runLoad, type LoadResult } from './load.js'
import { podReviews } from './pod-review.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name)
  return i < 0 ? fallback : Number(process.argv[i + 1])
}
const seconds = arg('--seconds', 5)
const maxRequests = arg('--max', 100_000)
/** `--workers 1,2`: server configurations to compare (one process each by default, then two cluster workers each). */
const workerCounts = (
  process.argv.includes('--workers') ? String(process.argv[process.argv.indexOf('--workers') + 1]) : '1,2'
)
  .split(',')
  .map(Number)

const dir = mkdtempSync(join(tmpdir(), 'palisade-webhook-bench-'))
const children: ChildProcess[] = []
try {
  execFileSync(process.execPath, [join(root, 'bin/palisade.js'), 'certs', '--out', dir], { stdio: 'ignore' })
  const ca = readFileSync(join(dir, 'ca.crt'))
  const cert = join(dir, 'tls.crt')
  const key = join(dir, 'tls.key')
  // Pods of one ReplicaSet: same spec, their own uid and name (the bare server reads the same bodies).
  const body = podReviews(5000).map((r) => Buffer.from(JSON.stringify(r)))
  const configurations: { workers: number; results: Record<number, { bare: LoadResult; palisade: LoadResult }> }[] = []
  for (const workers of workerCounts) {
    const palisadePort = await start(
      [
        join(root, 'bin/palisade.js'),
        'serve',
        '--tls-cert',
        cert,
        '--tls-key',
        key,
        '--port',
        '0',
        '--host',
        '127.0.0.1',
        '--no-watch',
        '--workers',
        String(workers),
      ],
      'stderr',
      (o) => (o.msg === 'serving' ? Number(o.port) : undefined),
    )
    const barePort = await start(
      [join(root, 'tools/bench/bare-webhook-server.mjs'), cert, key, String(workers)],
      'stdout',
      (o) => (typeof o.port === 'number' ? o.port : undefined),
    )
    // The pod must really be evaluated: check one answer before timing anything.
    const probe = await runLoad({
      port: palisadePort,
      path: '/validate',
      body: body[0] as Buffer,
      ca,
      connections: 1,
      seconds: 5,
      maxRequests: 1,
    })
    if (probe.requests !== 1) throw new Error('palisade serve did not answer the probe request')
    const results: Record<number, { bare: LoadResult; palisade: LoadResult }> = {}
    for (const connections of [1, 50]) {
      const run = (port: number, path: string) => runLoad({ port, path, body, ca, connections, seconds, maxRequests })
      // Warm up both (JIT, TLS sessions, connection pools), then measure each in turn.
      await run(barePort, '/').then(() => run(palisadePort, '/validate'))
      results[connections] = { bare: await run(barePort, '/'), palisade: await run(palisadePort, '/validate') }
    }
    configurations.push({ workers, results })
    for (const child of children.splice(0)) child.kill('SIGTERM')
  }

  const row = (label: string, r: LoadResult) =>
    `  ${label.padEnd(10)} ${r.rps.toFixed(0).padStart(7)} req/s   p50 ${r.p50.toFixed(2).padStart(6)} ms   p99 ${r.p99.toFixed(2).padStart(6)} ms   p99.9 ${r.p999.toFixed(2).padStart(6)} ms   (${r.requests} requests, ${r.errors} errors, ${r.seconds.toFixed(1)} s)`
  console.log(
    `palisade serve vs a bare HTTPS server; ${body[0]?.length}-byte Pod AdmissionReviews (5000 pods: own uid and name); full built-in library; ${seconds} s or ${maxRequests} requests per run; load generator on the same cores`,
  )
  let anyMet = false
  let errors = 0
  for (const { workers, results } of configurations) {
    console.log(
      `\n== ${workers === 1 ? 'one process each' : `${workers} node:cluster workers each (palisade serve --workers ${workers}; the bare server forks as many)`} ==`,
    )
    for (const [connections, { bare, palisade }] of Object.entries(results)) {
      console.log(`${connections} connection${connections === '1' ? '' : 's'}:`)
      console.log(row('bare', bare))
      console.log(row('palisade', palisade))
      console.log(`  throughput ratio palisade/bare: ${(palisade.rps / bare.rps).toFixed(2)}`)
      errors += bare.errors + palisade.errors
    }
    const one = results[1]?.palisade
    const fifty = results[50]
    const p99Ok = one !== undefined && one.p99 < 5
    const ratio = fifty ? fifty.palisade.rps / fifty.bare.rps : 0
    console.log(`floor 1 connection p99 < 5 ms:        ${p99Ok ? 'met' : 'NOT met'} (${one?.p99.toFixed(2)} ms)`)
    console.log(`floor 50 connections >= 1/3 of bare:  ${ratio >= 1 / 3 ? 'met' : 'NOT met'} (${ratio.toFixed(2)})`)
    anyMet ||= p99Ok && ratio >= 1 / 3
  }
  if (errors > 0) console.log(`errors: ${errors}`)
  process.exitCode = anyMet && errors === 0 ? 0 : 1
} finally {
  for (const child of children) child.kill('SIGTERM')
  rmSync(dir, { recursive: true, force: true })
}

/** Start a server process and wait for the JSON line that names its port. */
function start(
  args: string[],
  stream: 'stdout' | 'stderr',
  portOf: (line: Record<string, unknown>) => number | undefined,
): Promise<number> {
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
  children.push(child)
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child[stream] })
    const other = stream === 'stdout' ? child.stderr : child.stdout
    other.on('data', () => undefined)
    lines.on('line', (line) => {
      try {
        const port = portOf(JSON.parse(line) as Record<string, unknown>)
        if (port !== undefined) resolve(port)
      } catch (error) {
        reject(new Error(`unexpected output from ${args[0]}: ${line}`, { cause: error }))
      }
    })
    child.on('exit', (code) => reject(new Error(`${args[0]} exited with ${code} before listening`)))
  })
}
