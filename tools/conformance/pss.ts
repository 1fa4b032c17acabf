/**
 * `npm run conformance:pss`: agreement of the built-in PSS sets with Kubernetes' own
 * Pod Security Admission fixtures, per level and policy version, for pods as they are
 * and wrapped in Deployments and CronJobs. Exits 1 when any pinned or latest case
 * disagrees (the floor is 100%).
 */
import { fileURLToPath } from 'node:url'
import { PSS_LATEST_MINOR } from '../../src/policies/index.js'
import { runPssConformance, type PssCase, type Level } from './pss-conformance.js'

const corpus = fileURLToPath(new URL('../../../shared/corpus/pss-fixtures/', import.meta.url))
const started = process.hrtime.bigint()
const cases = runPssConformance(corpus)
const seconds = Number(process.hrtime.bigint() - started) / 1e9

const pct = (list: readonly PssCase[]): string => {
  const ok = list.filter((c) => c.agrees).length
  return `${((100 * ok) / Math.max(1, list.length)).toFixed(1).padStart(5)}% (${ok}/${list.length})`
}
const minors = [...new Set(cases.map((c) => c.fixture.minor))].sort((a, b) => a - b)

console.log(
  `Pod Security Standards conformance: ${new Set(cases.map((c) => c.fixture.path)).size} fixtures from kubernetes/pod-security-admission, ${cases.length} cases in ${seconds.toFixed(1)} s`,
)
console.log(
  'Each case: one fixture as a Pod, a Deployment and a CronJob. "pinned" = the fixture version set with --pss-version and, separately, with the namespace enforce-version label.\n',
)
for (const level of ['baseline', 'restricted'] as Level[]) {
  console.log(`${level}`)
  console.log(
    `  ${'version'.padEnd(8)}${'pinned (--pss-version)'.padEnd(26)}${'pinned (namespace label)'.padEnd(26)}unpinned (latest policy)`,
  )
  for (const minor of minors) {
    const at = cases.filter((c) => c.fixture.level === level && c.fixture.minor === minor)
    if (at.length === 0) continue
    const by = (p: PssCase['pinning']): string => pct(at.filter((c) => c.pinning === p)).padEnd(26)
    console.log(
      `  ${`v1.${minor}`.padEnd(8)}${by('flag')}${by('label')}${pct(at.filter((c) => c.pinning === 'unpinned'))}`,
    )
  }
}
const latest = cases.filter((c) => c.fixture.minor === PSS_LATEST_MINOR && c.pinning === 'unpinned')
const pinned = cases.filter((c) => c.pinning !== 'unpinned')
console.log('\nSummary')
for (const level of ['baseline', 'restricted'] as Level[]) {
  console.log(
    `  ${level.padEnd(11)} latest (v1.${PSS_LATEST_MINOR}, unpinned): ${pct(latest.filter((c) => c.fixture.level === level))}   every version, pinned: ${pct(pinned.filter((c) => c.fixture.level === level))}`,
  )
}
for (const wrapper of ['Pod', 'Deployment', 'CronJob'] as const)
  console.log(`  as ${wrapper.padEnd(10)} pinned: ${pct(pinned.filter((c) => c.wrapper === wrapper))}`)

const failures = [...latest, ...pinned].filter((c) => !c.agrees)
for (const c of failures.slice(0, 25)) {
  console.log(
    `  DISAGREES ${c.fixture.path} as ${c.wrapper} (${c.pinning}): expected ${c.fixture.expected}${c.fixture.expected === 'deny' ? ` by ${c.fixture.check}` : ''}, reported [${c.reported.join(', ')}]`,
  )
}
if (failures.length > 0) {
  console.log(`\n${failures.length} pinned or latest cases disagree: below the 100% floor.`)
  process.exitCode = 1
}
