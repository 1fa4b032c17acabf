/**
 * Conformance over Kyverno's own policy library tests: runs `palisade test` over
 * ../shared/corpus/kyverno-policies (the same code path as the CLI) and prints, by tier of
 * the corpus manifest, the share of expectations met, with vacuous rows (the rule did not
 * match the resource; upstream counts them as passes) counted separately, the run time,
 * and the unmet expectations grouped by cause.
 *
 *   npm run conformance:kyverno [-- --corpus DIR] [-- --json FILE] [-- --list]
 */
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { collectTestRows } from '../../src/app/index.js'
import type { TestRow } from '../../src/compat/index.js'

const args = process.argv.slice(2)
const flag = (name: string): string | undefined => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : undefined
}
const corpus = path.resolve(flag('--corpus') ?? '../shared/corpus/kyverno-policies')
const manifestFile = path.join(corpus, 'manifest.tsv')

interface ManifestRow {
  test: string
  policy: string
  rule: string
  kind: string
  resource: string
  expected: string
  tier: string
  reasons: string
}

const lines = readFileSync(manifestFile, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
const header = (lines.shift() as string).split('\t')
const col = (name: string): number => header.indexOf(name)
const manifest: ManifestRow[] = lines.map((l) => {
  const c = l.split('\t')
  return {
    test: c[col('test')] ?? '',
    policy: c[col('policy')] ?? '',
    rule: c[col('rule')] ?? '',
    kind: c[col('kind')] ?? '',
    resource: c[col('resource')] ?? '',
    expected: c[col('expected')] ?? '',
    tier: c[col('tier')] ?? '',
    reasons: c[col('tier_reasons')] ?? '',
  }
})

const started = process.hrtime.bigint()
const { rows, diagnostics, testFiles } = await collectTestRows(corpus, { cwd: process.cwd(), now: () => new Date() })
const seconds = Number(process.hrtime.bigint() - started) / 1e9

const relative = (test: string): string =>
  path.relative(corpus, path.resolve(process.cwd(), test)).split(path.sep).join('/')
const key = (test: string, policy: string, rule: string, kind: string, resource: string): string =>
  [test, policy, rule, kind, resource].join('\u0000')
const byKey = new Map<string, TestRow[]>()
for (const r of rows) {
  const k = key(relative(r.test), r.policy, r.rule, r.kind, r.resource)
  const list = byKey.get(k)
  if (list) list.push(r)
  else byKey.set(k, [r])
}

type Outcome = TestRow['outcome'] | 'missing'
const tiers = new Map<string, Record<Outcome, number>>()
const unmet: { row: ManifestRow; got: TestRow | undefined }[] = []
for (const m of manifest) {
  const found = byKey.get(key(m.test, m.policy, m.rule, m.kind, m.resource))?.shift()
  const outcome: Outcome = found?.outcome ?? 'missing'
  const t = tiers.get(m.tier) ?? { met: 0, unmet: 0, vacuous: 0, missing: 0 }
  t[outcome]++
  tiers.set(m.tier, t)
  if (outcome === 'unmet' || outcome === 'missing') unmet.push({ row: m, got: found })
}

const pct = (a: number, b: number): string => (b === 0 ? '   n/a' : `${((100 * a) / b).toFixed(1).padStart(5)}%`)
const out: string[] = []
out.push(
  `Kyverno conformance: ${testFiles.length} test files, ${manifest.length} expectations, ${seconds.toFixed(1)} s`,
)
out.push('tier   total    met  unmet  vacuous  missing   met/(non-vacuous)   met/total')
const total = { met: 0, unmet: 0, vacuous: 0, missing: 0 }
for (const tier of [...tiers.keys()].sort()) {
  const t = tiers.get(tier) as Record<Outcome, number>
  const n = t.met + t.unmet + t.vacuous + t.missing
  for (const k of Object.keys(total) as Outcome[]) total[k] += t[k]
  out.push(
    `${tier.padEnd(5)} ${String(n).padStart(6)} ${String(t.met).padStart(6)} ${String(t.unmet).padStart(6)} ${String(t.vacuous).padStart(8)} ${String(t.missing).padStart(8)}   ${pct(t.met, n - t.vacuous).padStart(17)}   ${pct(t.met, n).padStart(9)}`,
  )
}
const n = total.met + total.unmet + total.vacuous + total.missing
out.push(
  `all   ${String(n).padStart(6)} ${String(total.met).padStart(6)} ${String(total.unmet).padStart(6)} ${String(total.vacuous).padStart(8)} ${String(total.missing).padStart(8)}   ${pct(total.met, n - total.vacuous).padStart(17)}   ${pct(total.met, n).padStart(9)}`,
)

const causes = new Map<string, string[]>()
for (const { row, got } of unmet) {
  const cause =
    got === undefined
      ? 'no result row'
      : (got.reason ?? `expected ${row.expected}, got ${got.actual}`)
          .replace(/\b[a-z0-9-]+\.(ya?ml)\b/g, '<file>')
          .slice(0, 160)
  const list = causes.get(cause) ?? []
  list.push(`${row.tier} ${row.test} ${row.policy}/${row.rule} ${row.kind}/${row.resource}`)
  causes.set(cause, list)
}
out.push(`\nUnmet expectations by cause (${unmet.length}):`)
for (const [cause, list] of [...causes].sort((a, b) => b[1].length - a[1].length)) {
  out.push(`  ${String(list.length).padStart(4)}  ${cause}`)
  if (args.includes('--list')) for (const l of list) out.push(`          ${l}`)
}
if (diagnostics.length > 0)
  out.push(`\n${diagnostics.length} problems while loading tests (first: ${diagnostics[0]?.message})`)
console.log(out.join('\n'))
const jsonOut = flag('--json')
if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ seconds, tiers: Object.fromEntries(tiers), unmet }, null, 2))
