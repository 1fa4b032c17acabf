import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatJsonChunks, formatJsonReport, type FormatOptions } from '../report/index.js'
import { runScan, runStreamingScan, type AppIo, type ScanOptions } from './index.js'

const io = (cwd: string): AppIo => ({
  stdin: Readable.from([]),
  cwd,
  env: {},
  now: () => new Date('2026-01-01T00:00:00Z'),
})
const REPO = 'https://git.example.com/shop.git'
const OPTIONS: ScanOptions = {
  paths: ['.'],
  render: true,
  repoUrl: [REPO],
  maxFileSize: 1 << 20,
  kubernetesVersion: '1.35',
}
const FORMAT: FormatOptions = { color: false, toolVersion: '0.0.0-test', cwd: '/' }

const pod = (name: string): string =>
  `apiVersion: v1\nkind: Pod\nmetadata: { name: ${name}, namespace: shop }\nspec:\n  containers: [{ name: app, image: nginx:latest }]\n`
const application = (repoURL: string): string => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: shop
  namespace: argocd
spec:
  project: default
  source:
    repoURL: ${repoURL}
    path: deploy
    directory: {}
  destination:
    server: https://kubernetes.default.svc
    namespace: shop
`

/** The buffered report, and how the streaming scan went (held or streamed) with its report if streamed. */
async function scan(dir: string, threads: number): Promise<{ buffered: string; how: string; streamed?: string }> {
  const outcome = await runScan(OPTIONS, io(dir))
  const buffered = [...formatJsonChunks(outcome.result, FORMAT)].join('')
  let streamed: string | undefined
  const how = await runStreamingScan(
    OPTIONS,
    io(dir),
    { format: 'json' },
    async (run) => {
      streamed = [...formatJsonReport({ ...run, findingText: run.findingText() }, FORMAT)].join('')
    },
    { fromBytes: 0, threads },
  )
  if ('buffered' in how) {
    // The held path's own report: the same as the buffered scan's.
    expect([...formatJsonChunks(how.buffered.result, FORMAT)].join('')).toBe(buffered)
    return { buffered, how: 'held' }
  }
  return { buffered, how: 'streamed', ...(streamed === undefined ? {} : { streamed }) }
}

/**
 * A streaming scan of `dir` that writes `text` to `file` at the first progress report of
 * `phase`; it must be held (never streamed) with the Application in its report.
 */
async function expectHeldWhenWritten(
  dir: string,
  phase: string,
  file: string,
  text: string,
  threads: number,
): Promise<void> {
  let written = false
  const options: ScanOptions = {
    ...OPTIONS,
    onProgress: (p) => {
      if (p !== phase || written) return
      writeFileSync(file, text)
      written = true
    },
  }
  let streamed = false
  const how = await runStreamingScan(
    options,
    io(dir),
    { format: 'json' },
    async () => {
      streamed = true
    },
    { fromBytes: 0, threads },
  )
  expect(written).toBe(true)
  expect(streamed).toBe(false)
  if (!('buffered' in how)) throw new Error('streamed')
  expect([...formatJsonChunks(how.buffered.result, FORMAT)].join('')).toContain('"kind": "Application"')
}

describe('the GitOps inventory of a streaming scan without charts or overlays (after the first pass)', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'palisade-stream-gitops-'))
    mkdirSync(join(dir, 'deploy'))
    for (let i = 0; i < 6; i++) writeFileSync(join(dir, 'deploy', `pod-${i}.yaml`), pod(`p${i}`))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('streams plain files, with the report of the buffered scan, with 1 and 2 threads', async () => {
    for (const threads of [1, 2]) {
      const run = await scan(dir, threads)
      expect(run.how).toBe('streamed')
      expect(run.streamed).toBe(run.buffered)
    }
  }, 60_000)

  it('reports what the inventory finds beside the second pass (a .palisadeignore outside the folder)', async () => {
    const ignore = join(dir, 'deploy', '.palisadeignore')
    symlinkSync('/etc/hostname', ignore)
    try {
      for (const threads of [1, 2]) {
        const run = await scan(dir, threads)
        expect(run.how).toBe('streamed')
        expect(run.streamed).toBe(run.buffered)
        // The inventory's own diagnostic of it (the plain-file walk reports it too).
        expect(run.streamed?.split('deploy/.palisadeignore').length).toBeGreaterThan(2)
      }
    } finally {
      rmSync(ignore)
    }
  }, 60_000)

  it('finds an Argo CD Application of this repository in a plain file: the run is held, with the same report', async () => {
    const app = join(dir, 'app.yaml')
    writeFileSync(app, application(REPO))
    try {
      for (const threads of [1, 2]) {
        const run = await scan(dir, threads)
        expect(run.how).toBe('held')
        // The Application rendered its folder: its pods are in the report once, as rendered resources.
        expect(run.buffered).toContain('"kind": "Application"')
      }
    } finally {
      rmSync(app)
    }
  }, 60_000)

  it('holds the run when the inventory beside the second pass finds an Application written after the first pass', async () => {
    const app = join(dir, 'late-app.yaml')
    try {
      for (const threads of [1, 2]) {
        // After discovery, while the first pass reads: that pass never sees the file, the inventory does.
        await expectHeldWhenWritten(dir, 'Reading', app, application(REPO), threads)
        rmSync(app)
      }
    } finally {
      rmSync(app, { force: true })
    }
  }, 60_000)

  it('holds the run when a file plain in the first pass names Argo CD in the second (changed between the passes)', async () => {
    const file = join(dir, 'deploy', 'pod-5.yaml')
    // A file the first pass cannot clear: the inventory runs before the second pass, done when the file changes.
    const other = join(dir, 'other.yaml')
    writeFileSync(other, application('https://git.example.com/other.git'))
    try {
      // After the first file is checked (one thread: the others in turn): the last one changes.
      await expectHeldWhenWritten(dir, 'Checking', file, application(REPO), 1)
    } finally {
      writeFileSync(file, pod('p5'))
      rmSync(other)
    }
  }, 60_000)

  it('streams when a file names Argo CD but renders nothing (another repository), with the same report', async () => {
    const app = join(dir, 'app.yaml')
    writeFileSync(app, application('https://git.example.com/other.git'))
    try {
      for (const threads of [1, 2]) {
        const run = await scan(dir, threads)
        expect(run.how).toBe('streamed')
        expect(run.streamed).toBe(run.buffered)
      }
    } finally {
      rmSync(app)
    }
  }, 60_000)
})

describe('a chart configured in render.charts where the walk finds no chart, overlay or GitOps file', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'palisade-configured-chart-'))
    const files: Record<string, string> = {
      // The chart is rendered only as configured (its values), never alone: the walk skips its folder.
      '.palisadeignore': 'vendor/\n',
      'palisade.yaml': 'render:\n  charts:\n    - { path: vendor/web, releaseName: web }\n',
      'vendor/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
      'vendor/web/templates/pod.yaml': pod('configured'),
    }
    for (let i = 0; i < 3; i++) files[`deploy/pod-${i}.yaml`] = pod(`p${i}`)
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(join(dir, file, '..'), { recursive: true })
      writeFileSync(join(dir, file), text)
    }
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('renders it (buffered, and a streaming scan holds the run for it), with 1 and 2 threads', async () => {
    for (const threads of [1, 2]) {
      const run = await scan(dir, threads)
      expect(run.buffered).toContain('web (render.charts)')
      expect(run.buffered).toContain('vendor/web/templates/pod.yaml')
      expect(run.how).toBe('held')
    }
  }, 60_000)
})
