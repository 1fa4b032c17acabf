/**
 * `npm run conformance:gatekeeper`: every gator suite of the Gatekeeper library
 * (../shared/corpus/gatekeeper-library) run on each engine its template has; agreement per
 * template and engine, every disagreement listed. A case agrees when all its assertions hold.
 * Floors: every case of a template with a CEL engine agrees on CEL; 95% of all cases on Rego.
 * Cases whose object file is not in the corpus (held back) are counted apart.
 */
import { fileURLToPath } from 'node:url'
import { runGatekeeperConformance, type CaseResult } from './gatekeeper-conformance.js'

const root = fileURLToPath(new URL('../../../shared/corpus/gatekeeper-library/', import.meta.url))
const started = performance.now()
const { results, heldBack, problems } = runGatekeeperConformance(root)
for (const p of problems) console.log(`problem: ${p}`)
const seconds = (performance.now() - started) / 1000
const pct = (list: readonly CaseResult[]): string => {
  const ok = list.filter((c) => c.agrees).length
  return `${((100 * ok) / Math.max(1, list.length)).toFixed(1).padStart(5)}% (${ok}/${list.length})`
}
console.log(
  `Gatekeeper library conformance: ${new Set(results.map((r) => r.template)).size} templates, ${results.length} case runs in ${seconds.toFixed(1)} s (${heldBack} files held back from the corpus, their cases not run)\n`,
)
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
