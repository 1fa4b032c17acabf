import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from './run-cli.js'

/**
 * The streaming scan's worker threads from the built CLI (the bundle loads itself in each
 * worker): a run of 17 MB of files (streamed from 16 MB), mostly comment lines so that it
 * stays quick, with pods in every file and their Namespace and a cluster-admin binding in one.
 */
describe('palisade scan on worker threads (PALISADE_THREADS)', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'palisade-e2e-threads-'))
    // Reports are written beside the scanned folder: inside it, the next scan would read them.
    mkdirSync(`${dir}-reports`)
    const filler = `# ${'padding '.repeat(12)}\n`.repeat(Math.ceil((850 * 1024) / 100))
    for (let i = 0; i < 20; i++) {
      mkdirSync(join(dir, `app-${i}`))
      writeFileSync(
        join(dir, `app-${i}`, 'deploy.yaml'),
        `${filler}apiVersion: apps/v1
kind: Deployment
metadata: { name: web-${i}, namespace: shop }
spec:
  template:
    spec:
      serviceAccountName: web-${i}
      containers: [{ name: app, image: "nginx:latest", securityContext: { privileged: true } }]
`,
      )
    }
    writeFileSync(
      join(dir, 'cluster.yaml'),
      `apiVersion: v1
kind: Namespace
metadata: { name: shop, labels: { pod-security.kubernetes.io/enforce: restricted } }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: ops }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin }
subjects: [{ kind: Group, name: ops }]
`,
    )
  })
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true })
    rmSync(`${dir}-reports`, { recursive: true, force: true })
  })

  it('writes the same JSON and SARIF with two threads as with one', () => {
    for (const format of ['json', 'sarif']) {
      const out = (threads: string): string => {
        const file = join(`${dir}-reports`, `report-${threads}.${format}`)
        const run = runCli(['scan', '.', '--format', format, '-o', file], {
          cwd: dir,
          env: { PALISADE_THREADS: threads },
        })
        expect(run.stderr).toBe('')
        expect(run.code).toBe(1)
        return readFileSync(file, 'utf8')
      }
      const one = out('1')
      expect(out('2')).toBe(one)
      expect(one).toContain('disallow-cluster-admin-bindings')
    }
  }, 120_000)

  it('refuses a PALISADE_THREADS that is not a number of threads', () => {
    const run = runCli(['scan', '.', '--format', 'json'], { cwd: dir, env: { PALISADE_THREADS: 'many' } })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('PALISADE_THREADS')
  })
})
