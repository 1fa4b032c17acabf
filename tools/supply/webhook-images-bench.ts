/**
 * `npm run bench:webhook:images`: the admission webhook with image rules on, warm cache,
 * next to the same webhook without image rules. Both are the built `palisade serve` (full
 * built-in library) over TLS on loopback, driven by tools/bench/load.ts with the same ~4 KB
 * Pod AdmissionReviews, whose image is pinned by digest. The image rule requires a Cosign
 * signature by a key; the signature verdict for that digest is in the on-disk cache
 * (`--offline`, as after a first lookup), so after the warm-up every request is answered from
 * the live facts in memory, with no I/O. A probe first checks that the rule really runs: an
 * image not in the cache is refused by verify-image-signatures, the cached one is not.
 *
 * Floor: 1 connection p99 < 5 ms with image rules. Options: --seconds N (default 5).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { loadTrust, SignatureCache } from '../../src/supply/index.js'
import { runLoad, type LoadResult } from '../bench/load.js'
import { podReviews } from '../bench/pod-review.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const seconds = process.argv.includes('--seconds') ? Number(process.argv[process.argv.indexOf('--seconds') + 1]) : 5
const DIGEST = `sha256:${'5e'.repeat(32)}`
const IMAGE = `registry.example.com/shop/checkout@${DIGEST}`
const dir = mkdtempSync(join(tmpdir(), 'palisade-images-bench-'))
const children: ChildProcess[] = []
try {
  execFileSync(process.execPath, [join(root, 'bin/palisade.js'), 'certs', '--out', dir], { stdio: 'ignore' })
  const ca = readFileSync(join(dir, 'ca.crt'))
  mkdirSync(join(dir, 'keys'))
  writeFileSync(
    join(dir, 'keys/cosign.pub'),
    generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }),
  )
  const rule = { match: ['registry.example.com/**'], signatures: { keys: ['keys/cosign.pub'], keyless: [] } }
  writeFileSync(
    join(dir, 'images.yaml'),
    `images:\n  - match: ["registry.example.com/**"]\n    signatures: { keys: [keys/cosign.pub] }\n`,
  )
  writeFileSync(join(dir, 'plain.yaml'), 'policies: { select: all }\n')
  // The verdict a first lookup would have cached: verified, for this digest and this trust.
  const trust = (await loadTrust([rule], dir, undefined)).get(rule)
  if (!trust) throw new Error('no trust for the rule')
  await new SignatureCache(join(dir, 'cache')).set(
    SignatureCache.key(`registry.example.com/shop/checkout@${DIGEST}`, trust.id),
    { status: 'verified', signer: 'keys/cosign.pub' },
  )

  const bodies = podReviews(5000).map((r) =>
    Buffer.from(JSON.stringify(r).replaceAll('registry.example.com/shop/checkout:2.14.1', IMAGE)),
  )
  const serve = (config: string) =>
    start([
      join(root, 'bin/palisade.js'),
      'serve',
      '--tls-cert',
      join(dir, 'tls.crt'),
      '--tls-key',
      join(dir, 'tls.key'),
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--no-watch',
      '--config',
      join(dir, config),
      '--offline',
      '--image-cache',
      join(dir, 'cache'),
    ])
  const withImages = await serve('images.yaml')
  const without = await serve('plain.yaml')

  const cold = JSON.stringify(podReviews(1)[0]).replaceAll(
    'registry.example.com/shop/checkout:2.14.1',
    `registry.example.com/shop/checkout@sha256:${'00'.repeat(32)}`,
  )
  if (!(await post(withImages, cold, ca)).includes('verify-image-signatures'))
    throw new Error(
      'probe: an image not in the cache was not refused by verify-image-signatures: the rule is not running',
    )
  if ((await post(withImages, (bodies[0] as Buffer).toString(), ca)).includes('verify-image-signatures'))
    throw new Error('probe: the cached, verified image was refused')

  const run = (port: number) =>
    runLoad({ port, path: '/validate', body: bodies, ca, connections: 1, seconds, maxRequests: 100_000 })
  await run(withImages).then(() => run(without))
  const results: [string, LoadResult][] = [
    ['images', await run(withImages)],
    ['no images', await run(without)],
  ]
  console.log(
    `palisade serve with and without image rules (signature by key, warm cache); ${bodies[0]?.length}-byte Pod AdmissionReviews; 1 connection; ${seconds} s per run`,
  )
  for (const [label, r] of results)
    console.log(
      `  ${label.padEnd(10)} ${r.rps.toFixed(0).padStart(7)} req/s   p50 ${r.p50.toFixed(2).padStart(6)} ms   p99 ${r.p99.toFixed(2).padStart(6)} ms   (${r.requests} requests, ${r.errors} errors)`,
    )
  const p99 = (results[0] as [string, LoadResult])[1].p99
  console.log(`floor 1 connection p99 < 5 ms with image rules: ${p99 < 5 ? 'met' : 'NOT met'} (${p99.toFixed(2)} ms)`)
  process.exitCode = p99 < 5 && results.every(([, r]) => r.errors === 0) ? 0 : 1
} finally {
  for (const child of children) child.kill('SIGTERM')
  rmSync(dir, { recursive: true, force: true })
}

function post(port: number, body: string, ca: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        servername: 'localhost',
        port,
        path: '/validate',
        method: 'POST',
        ca,
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        let text = ''
        res.on('data', (c: Buffer) => (text += c.toString()))
        res.on('end', () => resolve(text))
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

function start(args: string[]): Promise<number> {
  const child = spawn(process.execPath, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] })
  children.push(child)
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) => {
      const entry = JSON.parse(line) as Record<string, unknown>
      if (entry.msg === 'serving') resolve(Number(entry.port))
    })
    child.on('exit', (code) => reject(new Error(`serve exited with ${code} before listening`)))
  })
}
