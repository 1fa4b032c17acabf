import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  formatJsonChunks,
  formatJsonReport,
  formatSarifChunks,
  formatSarifReport,
  type FormatOptions,
} from '../report/index.js'
import { runScan, runStreamingScan, type AppIo, type ScanOptions, type StreamedScan } from './index.js'

const io = (cwd: string): AppIo => ({
  stdin: Readable.from([]),
  cwd,
  env: {},
  now: () => new Date('2026-01-01T00:00:00Z'),
})
const options = (paths: string[], extra: Partial<ScanOptions> = {}): ScanOptions => ({
  paths,
  render: false,
  maxFileSize: 1 << 20,
  kubernetesVersion: '1.35',
  ...extra,
})
const FORMAT: FormatOptions = { color: false, toolVersion: '0.0.0-test', cwd: '/' }
const JSON_TEXT = { format: 'json' } as const

const deployment = (name: string, namespace: string, extra = ''): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${namespace}
${extra}spec:
  template:
    spec:
      serviceAccountName: ${name}
      containers:
        - name: app
          image: nginx:latest
          securityContext: { privileged: true }
`

/** The buffered report's bytes and the streamed one's, of the same scan. */
async function bothReports(
  dir: string,
  extra: Partial<ScanOptions> = {},
): Promise<{ buffered: string; streamed: string }> {
  const outcome = await runScan(options(['.'], extra), io(dir))
  const buffered = [...formatJsonChunks(outcome.result, FORMAT)].join('')
  let streamed = ''
  const how = await runStreamingScan(
    options(['.'], extra),
    io(dir),
    JSON_TEXT,
    async (run: StreamedScan) => {
      streamed = [...formatJsonReport({ ...run, findingText: run.findingText() }, FORMAT)].join('')
    },
    { fromBytes: 0 },
  )
  expect(how).toEqual({ streamed: true })
  return { buffered, streamed }
}

describe('runStreamingScan', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'palisade-stream-scan-'))
    // Files whose walk order is not their report order (`a-b/` sorts before `a/` by code unit, after it by folder walk).
    mkdirSync(join(dir, 'a'))
    mkdirSync(join(dir, 'a-b'))
    // Pods in a namespace whose Namespace (with a Pod Security label) comes in a later file.
    writeFileSync(join(dir, 'a', 'apps.yaml'), `${deployment('api', 'shop')}---\n${deployment('web', 'shop')}`)
    writeFileSync(
      join(dir, 'a-b', 'more.yaml'),
      deployment(
        'worker',
        'jobs',
        '  annotations:\n    waive.palisade.dev/disallow-privileged-containers: "batch nodes are isolated"\n    waive.palisade.dev/disallow-latest-image-tag: ""\n',
      ),
    )
    // A bad file in the middle: reported with file and line, the rest still checked.
    writeFileSync(join(dir, 'b-broken.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: [unclosed\n')
    writeFileSync(
      join(dir, 'c-cluster.yaml'),
      `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: { pod-security.kubernetes.io/enforce: restricted }
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: api, namespace: shop }
automountServiceAccountToken: false
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: ops }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: everything }
subjects: [{ kind: Group, name: ops }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: everything }
rules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }]
`,
    )
    writeFileSync(join(dir, 'd-text.txt.yaml'), Buffer.from([0x61, 0x00, 0x62]))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('writes the same report bytes as the buffered scan: order, summary, cross-resource findings, waivers, errors', async () => {
    const { buffered, streamed } = await bothReports(dir)
    expect(streamed).toBe(buffered)
    const report = JSON.parse(streamed) as {
      findings: { policy: string; file: string }[]
      errors: { file: string; line: number; code: string }[]
    }
    // Cross-resource policies answered over the whole run, across files.
    expect(report.findings.map((f) => f.policy)).toEqual(
      expect.arrayContaining([
        'disallow-cluster-admin-bindings',
        'disallow-service-account-token-automount',
        'require-default-deny-network-policy',
      ]),
    )
    expect(report.findings.map((f) => f.file)).toEqual(
      expect.arrayContaining(['a-b/more.yaml', 'a/apps.yaml', 'c-cluster.yaml']),
    )
    expect(report.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ file: 'b-broken.yaml', line: 4, code: 'YAML_SYNTAX' })]),
    )
  })

  it('is the same with --env and with a policy subset', async () => {
    for (const extra of [{ env: 'production' }, { policies: 'pss-restricted' }] as Partial<ScanOptions>[]) {
      const { buffered, streamed } = await bothReports(dir, extra)
      expect(streamed).toBe(buffered)
    }
  })

  it('removes its spool when printing fails, and when it succeeds', async () => {
    const spools = mkdtempSync(join(tmpdir(), 'palisade-stream-tmp-'))
    const before = process.env.TMPDIR
    process.env.TMPDIR = spools
    try {
      let seen: string[] = []
      await expect(
        runStreamingScan(
          options(['.']),
          io(dir),
          JSON_TEXT,
          async (run) => {
            seen = readdirSync(spools)
            for (const piece of run.findingText()) void piece
            throw new Error('disk full')
          },
          { fromBytes: 0 },
        ),
      ).rejects.toThrow('disk full')
      expect(seen).toHaveLength(1)
      expect(readdirSync(spools)).toEqual([])
      seen = []
      const how = await runStreamingScan(
        options(['.']),
        io(dir),
        JSON_TEXT,
        async () => {
          seen = readdirSync(spools)
        },
        { fromBytes: 0 },
      )
      expect(how).toEqual({ streamed: true })
      expect(seen).toHaveLength(1)
      expect(readdirSync(spools)).toEqual([])
    } finally {
      if (before === undefined) delete process.env.TMPDIR
      else process.env.TMPDIR = before
      rmSync(spools, { recursive: true, force: true })
    }
  })

  it('holds a small run (one pass is cheaper) and streams from the given size', async () => {
    const print = async (): Promise<void> => {}
    expect('buffered' in (await runStreamingScan(options(['.']), io(dir), JSON_TEXT, print))).toBe(true)
    expect(await runStreamingScan(options(['.']), io(dir), JSON_TEXT, print, { fromBytes: 100 })).toEqual({
      streamed: true,
    })
  })

  it('leaves what needs the whole run to the buffered scan (stdin)', async () => {
    const how = await runStreamingScan(
      options(['-']),
      io(dir),
      JSON_TEXT,
      async () => {
        throw new Error('not streamed')
      },
      { fromBytes: 0 },
    )
    expect('buffered' in how).toBe(true)
  })
})

describe('runStreamingScan, SARIF', () => {
  it('writes the same SARIF bytes as the buffered scan, rule indexes filled in', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-stream-sarif-'))
    try {
      writeFileSync(join(dir, 'z.yaml'), deployment('api', 'shop'))
      writeFileSync(join(dir, 'a.yaml'), `${deployment('web', 'shop')}---\n${deployment('db', 'data')}`)
      writeFileSync(join(dir, 'm.yaml'), 'kind: [\n')
      const outcome = await runScan(options(['.']), io(dir))
      const buffered = [...formatSarifChunks(outcome.result, FORMAT)].join('')
      let streamed = ''
      await runStreamingScan(
        options(['.']),
        io(dir),
        { format: 'sarif', cwd: FORMAT.cwd },
        async (run) => {
          streamed = [...formatSarifReport({ ...run, resultsText: run.findingText() }, FORMAT)].join('')
        },
        { fromBytes: 0 },
      )
      expect(streamed).toBe(buffered)
      expect(streamed).not.toContain('rule:')
      expect(new Set((JSON.parse(streamed) as SarifLog).runs[0]?.results.map((r) => r.ruleIndex)).size).toBeGreaterThan(
        3,
      )
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

interface SarifLog {
  runs: { results: { ruleIndex: number }[] }[]
}
