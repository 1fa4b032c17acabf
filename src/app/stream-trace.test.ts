import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runStreamingScan, type ScanOptions } from './index.js'
import type { TraceMark } from './stream-trace.js'

const OPTIONS: ScanOptions = { paths: ['.'], render: false, maxFileSize: 1 << 20, kubernetesVersion: '1.35' }

/** A streamed scan's JSON report (findings and counts). */
async function scan(dir: string, env: Record<string, string>, threads: number, render = false): Promise<string> {
  const io = { stdin: Readable.from([]), cwd: dir, env, now: () => new Date('2026-01-01T00:00:00Z') }
  let text = ''
  const how = await runStreamingScan(
    { ...OPTIONS, render },
    io,
    { format: 'json' },
    async (run) => {
      text = JSON.stringify([run.summary, run.diagnostics, [...run.findingText()].join('')])
    },
    { fromBytes: 0, threads },
  )
  expect(how).toEqual({ streamed: true })
  return text
}

describe('PALISADE_TRACE: the timeline of a streaming scan', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'palisade-stream-trace-'))
    for (let i = 0; i < 12; i++)
      writeFileSync(
        join(dir, `pod-${i}.yaml`),
        `apiVersion: v1\nkind: Pod\nmetadata: { name: p${i}, namespace: shop }\nspec:\n  containers: [{ name: app, image: nginx:latest }]\n`,
      )
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('writes each thread’s points in run order, with its CPU and heap, only when asked', async () => {
    const file = join(dir, 'run.trace')
    await scan(dir, {}, 2)
    expect(existsSync(file)).toBe(false)

    await scan(dir, { PALISADE_TRACE: file }, 2)
    const marks = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as TraceMark)
    const events = (thread: number): string[] =>
      marks.filter((m) => m.thread === thread && !m.event.endsWith(' sample')).map((m) => m.event)
    expect(events(0).map((e) => e.replace(/ \(.*\)$/, ''))).toEqual([
      'scan start',
      'policy set loaded',
      'discovered',
      'workers started',
      'read start',
      'main reads',
      'read end',
      'read all',
      'finish done',
      'check end',
      'check all',
      'report start',
      'report end',
    ])
    expect(events(1)).toEqual([
      'worker start',
      'policy set loaded',
      'read start',
      'read end',
      'outcomes received',
      'check end',
    ])
    // One clock for every thread: the worker's pass ends after the main thread started it.
    const at = (thread: number, event: string): number =>
      (marks.find((m) => m.thread === thread && m.event === event) as TraceMark).at
    expect(at(1, 'read start')).toBeGreaterThanOrEqual(at(0, 'workers started'))
    expect(at(0, 'read all')).toBeGreaterThanOrEqual(at(1, 'read end'))
    for (const m of marks) {
      expect(m.heapTotal).toBeGreaterThan(0)
      expect(m.spaces.old_space).toBeGreaterThan(0)
      if (process.platform === 'linux') expect(m.cpuMs).toBeGreaterThanOrEqual(0)
    }
    // The end of the run lists every thread of the process with its CPU.
    const end = marks.find((m) => m.event === 'report end') as TraceMark
    if (process.platform === 'linux') expect(Object.keys(end.tasks ?? {}).length).toBeGreaterThan(1)
  }, 120_000)

  it('starts the first pass again without the files the GitOps inventory says a render consumes', async () => {
    // A Kustomize Component no kustomization uses: not rendered, but its file is not a plain file to scan.
    const kustomized = mkdtempSync(join(tmpdir(), 'palisade-stream-trace-k-'))
    try {
      for (let i = 0; i < 6; i++)
        writeFileSync(
          join(kustomized, `pod-${i}.yaml`),
          `apiVersion: v1\nkind: Pod\nmetadata: { name: p${i} }\nspec:\n  containers: [{ name: app, image: nginx:latest }]\n`,
        )
      writeFileSync(
        join(kustomized, 'kustomization.yaml'),
        'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [pod-0.yaml]\n',
      )
      const file = join(kustomized, 'run.trace')
      const two = await scan(kustomized, { PALISADE_TRACE: file }, 2, true)
      const starts = readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as TraceMark)
        .filter((m) => m.thread === 0 && m.event === 'read start')
      expect(starts).toHaveLength(2)
      expect(two).toBe(await scan(kustomized, {}, 1, true))
      // pod-0.yaml and the kustomization are the Component's: 5 pods are scanned as plain files.
      expect((JSON.parse(two) as [{ resources: number }])[0].resources).toBe(5)
    } finally {
      rmSync(kustomized, { recursive: true, force: true })
    }
  }, 120_000)
})
