import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { findTools, scanGitOps, type RenderLimits, type RenderTools } from '../../src/gitops/index.js'
import { CHART_YAML, hostileRepo } from './hostile-repo.js'

let tools: RenderTools
let cleanup: (() => Promise<void>)[] = []
beforeAll(async () => {
  tools = await findTools({})
})
afterEach(async () => {
  for (const c of cleanup) await c()
  cleanup = []
})

async function renderChart(
  template: string,
  limits: Partial<RenderLimits>,
): Promise<{ status: string; reason?: string }> {
  const repo = await hostileRepo({ 'chart/Chart.yaml': CHART_YAML, 'chart/templates/t.yaml': template })
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'palisade-limits-'))
  cleanup.push(repo.remove, () => rm(scratch, { recursive: true, force: true }))
  const scan = await scanGitOps({
    roots: [repo.root],
    tools,
    display: (abs) => path.relative(repo.root, abs),
    absolute: (d) => path.resolve(repo.root, d),
    scratch,
    concurrency: 1,
    now: () => performance.now(),
    limits,
  })
  const source = scan.sources[0]
  return { status: source?.status ?? 'none', ...(source?.reason ? { reason: source.reason } : {}) }
}

describe('a chart cannot hang Palisade or exhaust the runner', () => {
  it('a template printing more than the output limit is killed and the render fails', async () => {
    const big =
      '{{- range until 400000 }}\n# line {{ . }} xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n{{- end }}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\n'
    const result = await renderChart(big, { maxOutputBytes: 1024 * 1024 })
    expect(result.status).toBe('failed')
    expect(result.reason).toMatch(/printed more than 1 MiB \(output limit\): killed/)
  })

  it('a template holding more memory than the memory limit is killed and the render fails', async () => {
    const hog =
      '{{- $s := repeat 100000000 "x" }}{{- $t := printf "%s%s%s%s%s%s%s%s" $s $s $s $s $s $s $s $s }}{{- $u := printf "%s%s" $t $t }}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m{{ len $u }}\n'
    const result = await renderChart(hog, { maxMemoryBytes: 256 * 1024 * 1024 })
    expect(result.status).toBe('failed')
    expect(result.reason).toMatch(/used more than 256 MiB of memory \(memory limit\): killed/)
  })

  it('an endless template is killed at the time limit and the render fails', async () => {
    const endless =
      '{{- range until 100000 }}{{- range until 100000 }}{{- end }}{{- end }}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: slow\n'
    const result = await renderChart(endless, { timeoutMs: 1500 })
    expect(result.status).toBe('failed')
    expect(result.reason).toMatch(/ran longer than 1.5 s \(time limit\): killed/)
  })
})
