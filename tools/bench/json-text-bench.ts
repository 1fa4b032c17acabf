/**
 * `npx tsx tools/bench/json-text-bench.ts [DIR] [--files N] [--rounds N] [--base R]`: CPU
 * (process.cpuUsage) and heap allocation of the JSON report's findings text
 * (`jsonFindingsText`, src/report/json-finding.ts) on the findings a streaming scan's second
 * pass gives for the files of DIR (default .bench/dense-20000), one call per file as the
 * stream makes them. The findings are collected (checked, masked, sorted) before the clock
 * starts; each round prints fresh copies of them (a resource's reference shared as in a scan,
 * the policies' controls lists kept), so no round reuses what the last one remembered.
 * `--base` loads another checkout's json-finding.ts into the same process (`git archive REF`
 * unpacked beside node_modules) and alternates the two round by round. A last, untimed round
 * per build measures the bytes allocated under `jsonFindingsText` (collected or not) with V8's
 * sampling heap profiler, one sample per 16 KB. Prints one JSON line per build.
 */
import { readFileSync } from 'node:fs'
import { Session } from 'node:inspector'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { yamlFiles } from './yaml-files.js'

const args = process.argv.slice(2)
const flag = (name: string): string | undefined => {
  const at = args.indexOf(name)
  return at >= 0 ? args[at + 1] : undefined
}
const valued = new Set(['--files', '--rounds', '--base'].map((n) => args.indexOf(n) + 1).filter((i) => i > 0))
const root = resolve(join(import.meta.dirname, '../..'))
const dir = resolve(args.find((a, i) => !a.startsWith('--') && !valued.has(i)) ?? join(root, '.bench/dense-20000'))
const maxFiles = Number(flag('--files') ?? 1000)
const rounds = Number(flag('--rounds') ?? 5)
const base = flag('--base')

type Any = any // eslint-disable-line @typescript-eslint/no-explicit-any
const load = async (at: string, rel: string): Promise<Any> => await import(pathToFileURL(join(at, rel)).href)
const pipeline = await load(root, 'src/pipeline/index.ts')
const app = await load(root, 'src/app/index.ts')
const masking = await load(root, 'src/app/redact-result.ts')
const report = await load(root, 'src/report/index.ts')
const builds: { name: string; text: (findings: readonly Any[]) => string }[] = [
  { name: root, text: (await load(root, 'src/report/json-finding.ts')).jsonFindingsText },
]
if (base)
  builds.unshift({
    name: resolve(base),
    text: (await load(resolve(base), 'src/report/json-finding.ts')).jsonFindingsText,
  })

const texts = yamlFiles(dir)
  .slice(0, maxFiles)
  .map((path) => ({ path, text: readFileSync(path, 'utf8') }))
const now = new Date('2026-12-06T00:00:00Z')
const set = await app.loadPolicySet({ scanPaths: [dir] }, { stdin: process.stdin, cwd: dir, env: {}, now: () => now })
const context = {
  policies: set.policies,
  resolver: set.resolverAt(now),
  namespaces: new Map(),
  crossOutcomes: () => [],
  expiredWaivers: new Set(),
}
const perFile: Any[][] = []
for (const source of texts) {
  const checked = pipeline.checkResources(pipeline.resourcesOf(source).resources, [source], [], context)
  const masked = masking.withMaskedStrings(checked)
  if (masked.findings.length > 0) perFile.push(report.sortFindings(masked.findings))
}
/** A file's findings copied as a new scan would make them: references shared within the file, controls lists the policies'. */
const fresh = (): Any[][] =>
  perFile.map((list) => {
    const copy = structuredClone(list)
    copy.forEach((f: Any, i: number) => (f.controls = list[i].controls))
    return copy
  })

const cpu = (): number => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}
const ms = builds.map(() => [] as number[])
let bytes = 0
for (let round = 0; round < rounds; round++)
  builds.forEach((build, b) => {
    const copies = fresh()
    // The copies' garbage collected before the clock (run with NODE_OPTIONS=--expose-gc).
    ;(globalThis as Any).gc?.()
    const t = cpu()
    bytes = 0
    for (const list of copies) bytes += build.text(list).length
    ms[b]!.push(Math.round(cpu() - t))
  })

const session = new Session()
session.connect()
const post = (method: string, params?: object): Promise<Any> =>
  new Promise((done, fail) => session.post(method, params, (error, result) => (error ? fail(error) : done(result))))
await post('HeapProfiler.enable')
const allocated: number[] = []
for (const build of builds) {
  const copies = fresh()
  await post('HeapProfiler.startSampling', {
    samplingInterval: 16384,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  })
  for (const list of copies) build.text(list)
  const { profile } = await post('HeapProfiler.stopSampling')
  let total = 0
  const byFunction = new Map<string, number>()
  const walk = (node: Any, inside: boolean): void => {
    const under = inside || node.callFrame.functionName === 'jsonFindingsText'
    if (under) total += node.selfSize
    if (under && process.env.BY_FUNCTION)
      byFunction.set(node.callFrame.functionName, (byFunction.get(node.callFrame.functionName) ?? 0) + node.selfSize)
    for (const child of node.children) walk(child, under)
  }
  walk(profile.head, false)
  allocated.push(total)
  if (process.env.BY_FUNCTION)
    console.log(build.name, [...byFunction].map(([f, b]) => `${f || '(anon)'} ${Math.round(b / 1e6)}`).join(', '))
}
const findings = perFile.reduce((n, l) => n + l.length, 0)
builds.forEach((build, b) =>
  console.log(
    JSON.stringify({
      build: build.name,
      files: perFile.length,
      findings,
      chars: bytes,
      ms: ms[b],
      MB: Math.round(allocated[b]! / 1e6),
    }),
  ),
)
