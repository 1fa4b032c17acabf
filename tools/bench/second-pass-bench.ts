/**
 * `npx tsx tools/bench/second-pass-bench.ts [DIR] [--files N] [--rounds N] [--root R] [--format json|sarif]`:
 * CPU (process.cpuUsage) of a streaming scan's second pass on each file of DIR (default
 * .bench/dense-20000), without the reading and parsing: checkResources (policies, placing,
 * locating, fingerprints, fixes), withMaskedStrings, and the report's findings text. The
 * sources are parsed before the clock starts; each round re-parses them (positions are found
 * on demand, so a round would otherwise reuse the last one's). `--root` imports the code of
 * another checkout (an A/B against `git archive REF` unpacked beside node_modules); run the
 * two alternately, one process each. Prints one JSON line: ms per phase per round.
 */
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
  ['--files', '--rounds', '--root', '--format'].map((n) => args.indexOf(n) + 1).filter((i) => i > 0),
)
const root = resolve(flag('--root') ?? join(import.meta.dirname, '../..'))
const dir = resolve(args.find((a, i) => !a.startsWith('--') && !valued.has(i)) ?? join(root, '.bench/dense-20000'))
const maxFiles = Number(flag('--files') ?? 400)
const rounds = Number(flag('--rounds') ?? 3)
const format = flag('--format') ?? 'json'

const load = async <T>(rel: string): Promise<T> => (await import(pathToFileURL(join(root, rel)).href)) as T

type Any = any // eslint-disable-line @typescript-eslint/no-explicit-any
const pipeline: Any = await load('src/pipeline/index.ts')
const app: Any = await load('src/app/index.ts')
const masking: Any = await load('src/app/redact-result.ts')
const serializers: Any = await load('src/app/finding-serializer.ts')
const report: Any = await load('src/report/index.ts')

const files = yamlFiles(dir).slice(0, maxFiles)
const texts = files.map((path) => ({ path, text: readFileSync(path, 'utf8') }))
const set = await app.loadPolicySet(
  { scanPaths: [dir] },
  { stdin: process.stdin, cwd: dir, env: {}, now: () => new Date('2026-12-06T00:00:00Z') },
)
const resolver = set.resolverAt(new Date('2026-12-06T00:00:00Z'))
const serializer = serializers.findingSerializer(
  format === 'json' ? { format: 'json' } : { format: 'sarif', cwd: dir },
  set.policies.policies.map((p: Any) => p.meta.id),
)
const cpu = (): number => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}
const phases = { check: [] as number[], mask: [] as number[], text: [] as number[] }
let findings = 0
let bytes = 0
for (let round = 0; round < rounds; round++) {
  const parsed = texts.map((s) => pipeline.resourcesOf(s).resources)
  let check = 0
  let mask = 0
  let text = 0
  findings = 0
  bytes = 0
  for (let i = 0; i < parsed.length; i++) {
    let t = cpu()
    const checked = pipeline.checkResources(parsed[i], [texts[i]], [], {
      policies: set.policies,
      resolver,
      namespaces: new Map(),
      crossOutcomes: () => [],
      expiredWaivers: new Set(),
    })
    check += cpu() - t
    t = cpu()
    const masked = masking.withMaskedStrings(checked)
    mask += cpu() - t
    t = cpu()
    if (masked.findings.length > 0) bytes += serializer.text(report.sortFindings(masked.findings)).length
    text += cpu() - t
    findings += masked.findings.length
  }
  phases.check.push(Math.round(check))
  phases.mask.push(Math.round(mask))
  phases.text.push(Math.round(text))
}
console.log(JSON.stringify({ root, files: files.length, findings, bytes, ...phases }))
