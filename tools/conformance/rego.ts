/**
 * `npm run conformance:rego`: agreement of Palisade's Rego engine with OPA's own compliance
 * cases, per folder, with every disagreement listed. Exits 1 below the 90% floor.
 * `npm run conformance:rego -- <folder>` runs one folder.
 */
import { fileURLToPath } from 'node:url'
import { runCompliance } from './rego-compliance.js'

const FLOOR = 0.9
const dir = fileURLToPath(new URL('../../../shared/corpus/opa-compliance/', import.meta.url))
const started = performance.now()
const cases = runCompliance(dir, process.argv[2])
const seconds = (performance.now() - started) / 1000
const pct = (ok: number, n: number): string => `${((100 * ok) / Math.max(1, n)).toFixed(1).padStart(5)}% (${ok}/${n})`

console.log(`Rego conformance: ${cases.length} OPA compliance cases in ${seconds.toFixed(1)} s\n`)
for (const folder of [...new Set(cases.map((c) => c.folder))]) {
  const at = cases.filter((c) => c.folder === folder)
  console.log(`  ${folder.padEnd(24)}${pct(at.filter((c) => c.agrees).length, at.length)}`)
}
const bad = cases.filter((c) => !c.agrees)
const ok = cases.length - bad.length
console.log(`\n  ${'all'.padEnd(24)}${pct(ok, cases.length)}   floor ${FLOOR * 100}%`)
if (bad.length > 0) {
  console.log('\nDisagreements')
  for (const c of bad) console.log(`  ${c.folder}/${c.file} "${c.note}": ${c.detail ?? ''}`)
}
if (ok / Math.max(1, cases.length) < FLOOR) process.exitCode = 1
