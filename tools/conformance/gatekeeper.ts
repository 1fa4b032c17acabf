/**
 * `npm run conformance:gatekeeper`: every gator suite of the Gatekeeper library
 * (../shared/corpus/gatekeeper-library) run on each engine its template has; agreement per
 * template and engine, every disagreement listed. A case agrees when all its assertions hold.
 * Floors: every case of a template with a CEL engine agrees on CEL; 95% of all cases on Rego.
 * Cases whose object file is not in the corpus (held back) are counted apart.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import YAML from 'yaml'
import type { KubeObject } from '../../src/core/index.js'
import { runSuite, type SuiteRow } from '../../src/compat/gatekeeper/suite.js'
import { withBudget } from '../../src/engine/eval-budget.js'

const root = fileURLToPath(new URL('../../../shared/corpus/gatekeeper-library/', import.meta.url))
const LIMITS = { cost: 10_000_000, timeoutMs: 2_000, clock: () => performance.now() }

function suites(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name)
    if (statSync(p).isDirectory()) out.push(...suites(p))
    else if (name === 'suite.yaml') out.push(p)
  }
  return out
}

const readDocs = (file: string): KubeObject[] | string => {
  if (!existsSync(file)) return `${path.relative(root, file)} is not in the corpus (held back)`
  return YAML.parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS() as KubeObject).filter((o) => o !== null && typeof o === 'object')
}

interface CaseResult {
  template: string
  engine: SuiteRow['engine']
  test: string
  name: string
  agrees: boolean
  reasons: string[]
}

const started = performance.now()
const results: CaseResult[] = []
let heldBack = 0
for (const file of suites(path.join(root, 'library'))) {
  const dir = path.dirname(file)
  const suite = YAML.parse(readFileSync(file, 'utf8')) as KubeObject
  const template = path.relative(path.join(root, 'library'), dir)
  const { rows, problems } = withBudget(LIMITS, () =>
    runSuite(template, suite, (ref) => {
      const docs = readDocs(path.resolve(dir, ref))
      if (typeof docs === 'string') heldBack++
      return docs
    }),
  )
  for (const p of problems) if (!p.includes('held back')) console.log(`problem: ${p}`)
  const byCase = new Map<string, CaseResult>()
  for (const r of rows) {
    const key = `${r.engine}\u0000${r.test}\u0000${r.rule}`
    const c = byCase.get(key) ?? { template, engine: r.engine, test: r.test, name: r.rule, agrees: true, reasons: [] }
    if (r.outcome !== 'met') {
      c.agrees = false
      c.reasons.push(r.reason ?? '')
    }
    byCase.set(key, c)
  }
  results.push(...byCase.values())
}
const seconds = (performance.now() - started) / 1000
const pct = (list: readonly CaseResult[]): string => {
  const ok = list.filter((c) => c.agrees).length
  return `${((100 * ok) / Math.max(1, list.length)).toFixed(1).padStart(5)}% (${ok}/${list.length})`
}
console.log(`Gatekeeper library conformance: ${new Set(results.map((r) => r.template)).size} templates, ${results.length} case runs in ${seconds.toFixed(1)} s (${heldBack} files held back from the corpus, their cases not run)\n`)
console.log(`  ${'template'.padEnd(52)}${'Rego'.padEnd(18)}CEL`)
for (const t of [...new Set(results.map((r) => r.template))]) {
  const rego = results.filter((r) => r.template === t && r.engine === 'Rego')
  const cel = results.filter((r) => r.template === t && r.engine === 'K8sNativeValidation')
  console.log(`  ${t.padEnd(52)}${(rego.length ? pct(rego) : '-').padEnd(18)}${cel.length ? pct(cel) : '-'}`)
}
const rego = results.filter((r) => r.engine === 'Rego')
const cel = results.filter((r) => r.engine === 'K8sNativeValidation')
console.log(`\n  ${'all'.padEnd(52)}${pct(rego).padEnd(18)}${pct(cel)}`)
console.log('  floors: Rego 95%, CEL 100%')
const bad = results.filter((r) => !r.agrees)
if (bad.length > 0) {
  console.log('\nDisagreements')
  for (const b of bad) console.log(`  [${b.engine}] ${b.test} / ${b.name}:\n    ${b.reasons.join('\n    ')}`)
}
const regoOk = rego.filter((r) => r.agrees).length / Math.max(1, rego.length)
if (regoOk < 0.95 || cel.some((r) => !r.agrees)) process.exitCode = 1
