/**
 * `npx tsx tools/bench/policy-cost-bench.ts [DIR] [--files N] [--rounds N] [--root R] [--top N] [--only ID,ID]`:
 * CPU (process.cpuUsage) of each policy of the default policy set on the resources of the first
 * `--files` YAML files of DIR (default .bench/dense-20000) per round, read by the scan's own
 * reader (`resourcesOf`, so the strings are the ones a scan sees). Each round (and a warm-up
 * round before them) takes the next `--files` files, so that memos of values (the secret scan's)
 * see each value about as often as a scan does; each policy is evaluated over every resource of
 * its kinds. Prints the medians per policy, largest first, and the total. `--root` imports another checkout's code (an A/B against
 * `git archive REF` unpacked beside node_modules and package.json); run the two alternately.
 * The outcomes' JSON digest is printed, so two checkouts' answers can be compared.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { yamlFiles } from './yaml-files.js'

const args = process.argv.slice(2)
const flag = (name: string): string | undefined => {
  const at = args.indexOf(name)
  return at >= 0 ? args[at + 1] : undefined
}
const valued = new Set(
  ['--files', '--rounds', '--root', '--top', '--only'].map((n) => args.indexOf(n) + 1).filter((i) => i > 0),
)
const root = resolve(flag('--root') ?? join(import.meta.dirname, '../..'))
const dir = resolve(
  args.find((a, i) => !a.startsWith('--') && !valued.has(i)) ?? join(import.meta.dirname, '../../.bench/dense-20000'),
)
const maxFiles = Number(flag('--files') ?? 400)
const rounds = Number(flag('--rounds') ?? 5)
const top = Number(flag('--top') ?? 25)
const only = flag('--only')?.split(',')

const load = async <T>(rel: string): Promise<T> => (await import(pathToFileURL(join(root, rel)).href)) as T
type Any = any // eslint-disable-line @typescript-eslint/no-explicit-any
const pipeline: Any = await load('src/pipeline/index.ts')
const app: Any = await load('src/app/index.ts')
const engine: Any = await load('src/engine/index.ts')

const files = yamlFiles(dir)
const objectsOfRound = (round: number): Any[] =>
  files
    .slice((round * maxFiles) % files.length, ((round * maxFiles) % files.length) + maxFiles)
    .flatMap((path) =>
      pipeline.resourcesOf({ path, text: readFileSync(path, 'utf8') }).resources.map((r: Any) => r.object),
    )
const set = await app.loadPolicySet(
  { scanPaths: [dir] },
  { stdin: process.stdin, cwd: dir, env: {}, now: () => new Date('2026-12-06T00:00:00Z') },
)
const policies: Any[] = set.policies.policies.filter(
  (p: Any) => !p.evaluateAll && (only === undefined || only.includes(p.meta.id)),
)
const cpu = (): number => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number
const applies = (p: Any, o: Any): boolean => p.kinds === undefined || p.kinds.has(o.kind)

const digest = createHash('sha256')
const times = new Map<string, number[]>()
let count = 0
for (let round = 0; round <= rounds; round++) {
  const objects = objectsOfRound(round)
  const contexts = new Map<Any, Any>(objects.map((o) => [o, { request: engine.syntheticRequest(o) }]))
  count = objects.length
  for (const p of policies) {
    const t = cpu()
    const outcomes: unknown[] = []
    for (const o of objects) if (applies(p, o)) outcomes.push(p.evaluate(o, contexts.get(o)))
    const ms = cpu() - t
    if (round === 0) digest.update(JSON.stringify(outcomes))
    else times.set(p.meta.id, [...(times.get(p.meta.id) ?? []), ms])
  }
}
const rows = [...times].map(([id, ms]) => [id, median(ms)] as const).sort((a, b) => b[1] - a[1])
for (const [id, ms] of rows.slice(0, top)) console.log(`${ms.toFixed(1).padStart(8)} ms  ${id}`)
const total = rows.reduce((s, [, ms]) => s + ms, 0)
console.log(
  `${total.toFixed(1).padStart(8)} ms  total: ${policies.length} policies, ${count} resources per round, ${rounds} rounds (medians); outcomes ${digest.digest('hex').slice(0, 16)}`,
)
