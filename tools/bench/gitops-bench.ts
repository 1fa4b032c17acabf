/**
 * `npm run bench:gitops`: render the corpus repositories (../shared/corpus/repos) and the
 * bundled example as `palisade scan` does, with the real helm and kubectl, and print per
 * repository: wall time (median of --runs, default 3), renders, applications scanned /
 * failed / not scanned, and how precisely rendered fields map back to the repository:
 * for every leaf field of every rendered object, whether its span lands on a line that
 * writes that field (its key, or its value literally: `replicaCount: 3` for replicas 3), on
 * another line (an ancestor's, or a templated line this check cannot prove), or only on
 * the top of the file. A lower bound: `- --port={{ .Values.port }}` counts as another line.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { findTools, scanGitOps, type GitOpsScan } from '../../src/gitops/index.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const runs = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 3)
const repos = [
  ...['argocd-example-apps', 'flux2-kustomize-helm-example', 'podinfo'].map((r) =>
    path.join(root, '../shared/corpus/repos', r),
  ),
  path.join(root, 'examples/gitops'),
]
const tools = await findTools({ ...(process.env.PATH ? { pathEnv: process.env.PATH } : {}) })
console.log(
  `helm: ${tools.helm?.path ?? 'missing'}  kustomize: ${tools.kustomize?.path ?? 'missing'}  parallel renders: ${os.availableParallelism()}`,
)

for (const repo of repos) {
  const times: number[] = []
  let scan: GitOpsScan | undefined
  for (let i = 0; i < runs; i++) {
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'palisade-bench-'))
    const t0 = performance.now()
    scan = await scanGitOps({
      roots: [repo],
      tools,
      display: (abs) => path.relative(repo, abs),
      absolute: (displayed) => path.resolve(repo, displayed),
      scratch,
      concurrency: os.availableParallelism(),
      now: () => performance.now(),
    })
    times.push(performance.now() - t0)
    rmSync(scratch, { recursive: true, force: true })
  }
  if (!scan) continue
  const count = (s: string): number => scan!.sources.filter((x) => x.status === s).length
  const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)] as number
  console.log(
    `\n${path.basename(repo)}: ${median.toFixed(0)} ms (median of ${runs}), ${scan.stats.renders} renders, ${scan.resources.length} objects; apps ${count('scanned')} scanned, ${count('failed')} failed, ${count('unscanned')} not scanned`,
  )
  for (const s of scan.sources
    .filter((x) => x.renderMs !== undefined)
    .sort((a, b) => (b.renderMs ?? 0) - (a.renderMs ?? 0))
    .slice(0, 3)) {
    console.log(`  slowest: ${s.renderer} ${s.path} ${s.renderMs} ms`)
  }
  const tally: Record<string, { field: number; ancestor: number; top: number }> = {}
  const lines = new Map<string, string[]>()
  for (const r of scan.resources) {
    const by = r.renderedBy ?? 'directory'
    const t = (tally[by] ??= { field: 0, ancestor: 0, top: 0 })
    for (const [pointer, value] of leaves(r.object)) {
      const span = r.locate(pointer)
      if (!lines.has(span.file)) lines.set(span.file, readFileSync(path.join(repo, span.file), 'utf8').split('\n'))
      const text = lines.get(span.file)?.[span.start.line - 1] ?? ''
      const key =
        pointer
          .split('/')
          .filter((k) => !/^\d+$/.test(k))
          .pop() ?? ''
      const isItem = /\/\d+$/.test(pointer)
      const writesValue =
        value !== null &&
        new RegExp(`[:-]\\s*["']?${String(value).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*(#.*)?$`).test(text)
      if (
        text.includes(`${key}:`) ||
        text.includes(`"${key}":`) ||
        writesValue ||
        (isItem && text.includes(String(value)))
      )
        t.field++
      else if (span.start.line === 1) t.top++
      else t.ancestor++
    }
  }
  for (const [by, t] of Object.entries(tally)) {
    const total = t.field + t.ancestor + t.top
    const pct = (n: number): string => `${((100 * n) / total).toFixed(1)}%`
    console.log(
      `  mapping (${by}): ${total} leaf fields: ${pct(t.field)} on the field's own line, ${pct(t.ancestor)} on another line (an ancestor's, or a templated one), ${pct(t.top)} at the top of the file`,
    )
  }
}

function leaves(value: unknown, prefix = ''): [string, unknown][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, `${prefix}/${i}`))
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) =>
      leaves(v, `${prefix}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`),
    )
  return [[prefix, value]]
}
