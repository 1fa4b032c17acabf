/**
 * `npm run compare`: agreement of Palisade's policies with Polaris, kube-score and kubesec
 * on the fixtures those tools test their own checks with (../shared/corpus), per check
 * that maps to one of ours. docs/comparison.md explains every disagreement.
 */
import { fileURLToPath } from 'node:url'
import { compareScanners, type Comparison, type Tool } from './other-scanners-run.js'

const corpus = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url))
const { comparisons, skipped, unmapped } = compareScanners(corpus)

const rate = (list: readonly Comparison[]): string => {
  const ok = list.filter((c) => c.agrees).length
  return `${ok}/${list.length} (${((100 * ok) / Math.max(1, list.length)).toFixed(0)}%)`
}

for (const tool of ['polaris', 'kube-score', 'kubesec'] as Tool[]) {
  const rows = comparisons.filter((c) => c.tool === tool)
  console.log(`\n${tool}: ${rate(rows)} fixtures agree`)
  for (const check of [...new Set(rows.map((c) => c.check))].sort()) {
    const of = rows.filter((c) => c.check === check)
    console.log(`  ${check.padEnd(50)} ${rate(of)}`)
    for (const c of of.filter((x) => !x.agrees)) {
      console.log(
        `      disagree: ${c.file}: ${tool} says ${c.theirs}, Palisade says ${c.ours}${c.evidence.length > 0 ? ` (${c.evidence[0]})` : ''}`,
      )
    }
  }
  const notCompared = skipped.filter((s) => s.tool === tool)
  if (notCompared.length > 0)
    console.log(
      `  not compared: ${notCompared.length} fixture rows (${[...new Set(notCompared.map((s) => s.reason))].join('; ')})`,
    )
  if (unmapped[tool].length > 0) console.log(`  checks with no Palisade counterpart: ${unmapped[tool].join(', ')}`)
}
console.log(
  `\nAll mapped checks: ${rate(comparisons)} fixtures agree; every disagreement is explained in docs/comparison.md.`,
)
