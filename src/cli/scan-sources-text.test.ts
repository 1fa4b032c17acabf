/**
 * The text report of a GitOps scan: the sources section comes before the summary, so the
 * verdict ("Blocking: …" / "Not blocking: …") is the last line; by default it lists only the
 * sources that were not scanned or failed (with a count of the others), --verbose every one.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runInProcess } from './in-process.test-support.js'

const CONFIGMAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  a: b\n'
const FILES: Record<string, string> = {
  'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
  'charts/web/templates/cm.yaml': CONFIGMAP,
  'overlays/ok/kustomization.yaml': 'resources:\n  - cm.yaml\n',
  'overlays/ok/cm.yaml': CONFIGMAP,
  'overlays/refused/kustomization.yaml': 'resources:\n  - ../../../outside\n',
}

let base: string
beforeAll(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), 'palisade-sources-text-'))
  for (const [file, text] of Object.entries(FILES)) {
    await mkdir(path.dirname(path.join(base, 'repo', file)), { recursive: true })
    await writeFile(path.join(base, 'repo', file), text)
  }
})
afterAll(() => rm(base, { recursive: true, force: true }))

const lines = (text: string): string[] => text.trimEnd().split('\n')

describe('palisade scan text output on a GitOps repository', () => {
  it('prints the sources before the summary, so the verdict is the last line; lists only the failed source and counts the others', async () => {
    const run = await runInProcess(['scan', '.'], path.join(base, 'repo'))
    expect(run.code).toBe(1)
    const out = lines(run.stdout)
    expect(out.at(-1)).toMatch(/^Blocking: /)
    const sources = out.findIndex((l) => l.startsWith('GitOps sources: 2 scanned, 1 failed, 0 not scanned'))
    expect(sources).toBeGreaterThan(-1)
    expect(sources).toBeLessThan(out.indexOf('Summary'))
    const section = out.slice(sources + 1, out.indexOf('Summary') - 1)
    expect(section.filter((l) => /^ {2}\S/.test(l))).toEqual([
      expect.stringMatching(/^ {2}failed +Kustomize overlay overlays\/refused: /),
      '  and 2 scanned sources (--verbose lists every source)',
    ])
  })

  it('--verbose lists every source, still before the summary', async () => {
    const run = await runInProcess(['scan', '.', '--verbose'], path.join(base, 'repo'))
    const out = lines(run.stdout)
    expect(out.at(-1)).toMatch(/^Blocking: /)
    const sources = out.findIndex((l) => l.startsWith('GitOps sources: '))
    const section = out.slice(sources + 1, out.indexOf('Summary') - 1)
    expect(
      section
        .filter((l) => /^ {2}\S/.test(l))
        .map((l) => l.trim().split(' ')[0])
        .sort(),
    ).toEqual(['failed', 'scanned', 'scanned'])
    expect(run.stdout).not.toMatch(/--verbose lists every source/)
  })
})
