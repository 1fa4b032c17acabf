import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatJsonReport, formatSarifReport, type FormatOptions } from '../report/index.js'
import { runStreamingScan, type AppIo, type ScanOptions, type StreamFormat, type StreamTuning } from './index.js'

// Worker threads load the TypeScript sources through tsx here: each start costs a second or two.
const io = (cwd: string): AppIo => ({
  stdin: Readable.from([]),
  cwd,
  env: {},
  now: () => new Date('2026-01-01T00:00:00Z'),
})
const OPTIONS: ScanOptions = { paths: ['.'], render: false, maxFileSize: 1 << 20, kubernetesVersion: '1.35' }
const FORMAT: FormatOptions = { color: false, toolVersion: '0.0.0-test', cwd: '/' }

const pod = (name: string, namespace: string): string => `apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  serviceAccountName: ${name}
  containers:
    - name: app
      image: nginx:latest
      securityContext: { privileged: true }
`

/** The report of a streamed scan of `dir` with these threads, as text. */
async function report(dir: string, format: StreamFormat, tuning: StreamTuning): Promise<string> {
  let text = ''
  const how = await runStreamingScan(
    OPTIONS,
    io(dir),
    format,
    async (run) => {
      text = [
        ...(format.format === 'json'
          ? formatJsonReport({ ...run, findingText: run.findingText() }, FORMAT)
          : formatSarifReport({ ...run, resultsText: run.findingText() }, FORMAT)),
      ].join('')
    },
    { fromBytes: 0, ...tuning },
  )
  expect(how).toEqual({ streamed: true })
  return text
}

describe('runStreamingScan with worker threads', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'palisade-stream-threads-'))
    // An expired waiver in palisade.yaml: reported once, at the first file (in report order) it covers.
    writeFileSync(
      join(dir, 'palisade.yaml'),
      `waivers:
  - policy: disallow-latest-image-tag
    resources: { kind: Pod, namespace: shop }
    reason: trial
    owner: ops@example.com
    expires: "2025-01-01"
`,
    )
    // Many files, so that every thread takes some: pods of a namespace whose Namespace is in the last file.
    for (let i = 0; i < 40; i++) {
      mkdirSync(join(dir, `team-${String(i).padStart(2, '0')}`))
      writeFileSync(
        join(dir, `team-${String(i).padStart(2, '0')}`, 'pods.yaml'),
        `${pod(`api-${i}`, 'shop')}---\n${pod(`job-${i}`, i % 2 === 0 ? 'jobs' : 'shop')}`,
      )
    }
    writeFileSync(join(dir, 'team-17', 'broken.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: [unclosed\n')
    writeFileSync(join(dir, 'team-23', 'binary.yaml'), Buffer.from([0x61, 0x00, 0x62]))
    writeFileSync(
      join(dir, 'zz-cluster.yaml'),
      `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: { pod-security.kubernetes.io/enforce: restricted }
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: api-3, namespace: shop }
automountServiceAccountToken: false
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: ops }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin }
subjects: [{ kind: Group, name: ops }]
`,
    )
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('writes the same JSON and SARIF bytes with 2 threads (JSON: 3 too) as with one', async () => {
    for (const format of [{ format: 'json' }, { format: 'sarif', cwd: '/' }] as StreamFormat[]) {
      const one = await report(dir, format, { threads: 1 })
      expect(await report(dir, format, { threads: 2 })).toBe(one)
      if (format.format !== 'json') continue
      expect(await report(dir, format, { threads: 3 })).toBe(one)
      const parsed = JSON.parse(one) as {
        findings: { policy: string; file: string }[]
        errors: { file: string; code: string }[]
        warnings?: { code: string }[]
      }
      // Cross-resource findings in files of every share, the broken and the binary file reported, the waiver once.
      expect(new Set(parsed.findings.map((f) => f.file)).size).toBe(41)
      expect(parsed.findings.map((f) => f.policy)).toEqual(
        expect.arrayContaining(['disallow-cluster-admin-bindings', 'disallow-service-account-token-automount']),
      )
      expect(parsed.errors.map((e) => e.file)).toEqual(
        expect.arrayContaining(['team-17/broken.yaml', 'team-23/binary.yaml']),
      )
      expect(one.split('"WAIVER_EXPIRED"').length - 1).toBe(1)
    }
  }, 120_000)

  it('fails the run when a worker throws, in either pass, and removes the spool', async () => {
    const spools = mkdtempSync(join(tmpdir(), 'palisade-stream-threads-tmp-'))
    const before = process.env.TMPDIR
    process.env.TMPDIR = spools
    try {
      for (const workerFault of ['read', 'check'] as const) {
        let printed = false
        await expect(
          runStreamingScan(
            OPTIONS,
            io(dir),
            { format: 'json' },
            async () => {
              printed = true
            },
            { fromBytes: 0, threads: 2, workerFault },
          ),
        ).rejects.toMatchObject({
          code: 'INTERNAL',
          message: expect.stringContaining(`worker thread 1 failed: stream worker: fault injected`),
        })
        expect(printed).toBe(false)
        // (tsx, which loads the sources in the workers here, keeps its cache there too.)
        expect(readdirSync(spools).filter((f) => f.startsWith('palisade-'))).toEqual([])
      }
    } finally {
      if (before === undefined) delete process.env.TMPDIR
      else process.env.TMPDIR = before
      rmSync(spools, { recursive: true, force: true })
    }
  }, 120_000)
})
