/**
 * `serve --record` end to end: the built CLI's webhook over real TLS (certificates from
 * `palisade certs`) receives an AdmissionReview as kube-apiserver sends it, denies it, and
 * on SIGTERM writes the decision to an embedded store; `palisade stats` then shows the
 * denial, counted as the decision log has it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { runCli } from './run-cli.js'
import { decisionLog, postJson, startServe } from './webhook-process.js'

const dir = mkdtempSync(join(tmpdir(), 'palisade-serve-record-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const review = {
  kind: 'AdmissionReview',
  apiVersion: 'admission.k8s.io/v1',
  request: {
    uid: '6a1f0c2e-4b3d-4e5f-9a8b-000000000001',
    kind: { group: '', version: 'v1', kind: 'Pod' },
    resource: { group: '', version: 'v1', resource: 'pods' },
    requestKind: { group: '', version: 'v1', kind: 'Pod' },
    requestResource: { group: '', version: 'v1', resource: 'pods' },
    name: 'web',
    namespace: 'prod-shop',
    operation: 'CREATE',
    userInfo: { username: 'jane@example.com', groups: ['system:authenticated'] },
    object: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'prod-shop' },
      spec: { containers: [{ name: 'app', image: 'nginx:latest', securityContext: { privileged: true } }] },
    },
    oldObject: null,
    dryRun: false,
    options: { apiVersion: 'meta.k8s.io/v1', kind: 'CreateOptions' },
  },
}

it('records a denial of the webhook in the store, and stats shows it', async () => {
  expect(runCli(['certs', '--out', join(dir, 'certs')]).code).toBe(0)
  const ca = readFileSync(join(dir, 'certs/ca.crt'))
  writeFileSync(join(dir, 'palisade.yaml'), 'environments:\n  - name: production\n    namespaces: [prod-*]\n')
  const store = join(dir, 'store')
  const log = join(dir, 'decisions.jsonl')
  const serve = await startServe(
    [
      '--tls-cert',
      'certs/tls.crt',
      '--tls-key',
      'certs/tls.key',
      '--config',
      'palisade.yaml',
      '--decision-log',
      log,
      '--record',
      '--store',
      store,
    ],
    dir,
  )
  let exit: number | null
  try {
    const reply = await postJson(serve.port, '/validate', review, ca)
    expect(reply.status).toBe(200)
    expect((reply.json.response as { allowed: boolean }).allowed).toBe(false)
  } finally {
    // SIGTERM flushes what is buffered (the 10 s timer has not fired yet).
    serve.child.kill('SIGTERM')
    exit = await serve.exited
  }
  expect(exit).toBe(0)

  const [decision] = decisionLog(log)
  const denials = (decision?.findings as { action: string; waived?: boolean }[]).filter(
    (f) => f.action === 'deny' && f.waived !== true,
  ).length
  expect(denials).toBeGreaterThan(0)
  const stats = runCli(['stats', '--store', store, '--since', '1d', '--format', 'json'], { cwd: dir })
  expect(stats.code, stats.stderr).toBe(0)
  const admission = (JSON.parse(stats.stdout) as { admission: { day: string; denied: number; warned: number }[] })
    .admission
  expect(admission).toEqual([{ day: new Date().toISOString().slice(0, 10), denied: denials, warned: 0, audited: 0 }])
}, 120_000)
