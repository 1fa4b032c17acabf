/**
 * `npx tsx tools/bench/parse-locate-bench.ts [DIR] [--files N] [--rounds N] [--root R]`:
 * CPU (process.cpuUsage) and heap allocation of the streaming scan's second-pass parse
 * (`resourcesOf`, positions recorded) and of the positions its findings ask for, on the files
 * of DIR (default .bench/dense-20000). The pointers are those a real check locates: a first,
 * untimed round runs checkResources with every resource's `locate` wrapped, and later rounds
 * parse again and replay the same calls. `--root` imports another checkout's code (an A/B
 * against `git archive REF` unpacked beside node_modules; run the two alternately, one process
 * each). A last, untimed round measures the bytes each phase allocates (collected or not) with
 * V8's sampling heap profiler, one sample per 16 KB, by the stack a sample was taken in.
 * Prints one JSON line: ms per phase per round, and MB per phase.
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
const valued = new Set(['--files', '--rounds', '--root'].map((n) => args.indexOf(n) + 1).filter((i) => i > 0))
const root = resolve(flag('--root') ?? join(import.meta.dirname, '../..'))
const dir = resolve(args.find((a, i) => !a.startsWith('--') && !valued.has(i)) ?? join(root, '.bench/dense-20000'))
const maxFiles = Number(flag('--files') ?? 2000)
const rounds = Number(flag('--rounds') ?? 5)

const load = async <T>(rel: string): Promise<T> => (await import(pathToFileURL(join(root, rel)).href)) as T

type Any = any // eslint-disable-line @typescript-eslint/no-explicit-any
const pipeline: Any = await load('src/pipeline/index.ts')
const app: Any = await load('src/app/index.ts')

const texts = yamlFiles(dir)
  .slice(0, maxFiles)
  .map((path) => ({ path, text: readFileSync(path, 'utf8') }))
const now = new Date('2026-12-06T00:00:00Z')
const set = await app.loadPolicySet({ scanPaths: [dir] }, { stdin: process.stdin, cwd: dir, env: {}, now: () => now })
const resolver = set.resolverAt(now)

// The pointers each file's check locates, per resource, in order.
const calls: [number, string][][] = texts.map((source) => {
  const { resources } = pipeline.resourcesOf(source)
  const asked: [number, string][] = []
  const wrapped = resources.map((r: Any, i: number) => ({
    ...r,
    locate: (pointer: string) => {
      asked.push([i, pointer])
      return r.locate(pointer)
    },
  }))
  pipeline.checkResources(wrapped, [source], [], {
    policies: set.policies,
    resolver,
    namespaces: new Map(),
    crossOutcomes: () => [],
    expiredWaivers: new Set(),
  })
  return asked
})

const cpu = (): number => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}
const phases = { parse: [] as number[], locate: [] as number[] }
for (let round = 0; round < rounds; round++) {
  let parse = 0
  let locate = 0
  for (let i = 0; i < texts.length; i++) {
    const t0 = cpu()
    const { resources } = pipeline.resourcesOf(texts[i])
    const t1 = cpu()
    for (const [r, pointer] of calls[i]!) resources[r].locate(pointer)
    locate += cpu() - t1
    parse += t1 - t0
  }
  phases.parse.push(Math.round(parse))
  phases.locate.push(Math.round(locate))
}

// Allocation: one sampled round, each sample counted for the phase its stack is in.
const session = new Session()
session.connect()
const post = (method: string, params?: object): Promise<Any> =>
  new Promise((done, fail) => session.post(method, params, (error, result) => (error ? fail(error) : done(result))))
await post('HeapProfiler.enable')
await post('HeapProfiler.startSampling', {
  samplingInterval: 16384,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
})
for (let i = 0; i < texts.length; i++) {
  const { resources } = pipeline.resourcesOf(texts[i])
  for (const [r, pointer] of calls[i]!) resources[r].locate(pointer)
}
const { profile } = await post('HeapProfiler.stopSampling')
// The wrappers may be inlined (and then missing from stacks): the functions they call are not.
const phaseOf: Record<string, string> = { resourcesOf: 'parse', locate: 'locate' }
const bytes: Record<string, number> = { parse: 0, locate: 0 }
const walk = (node: Any, phase: string | undefined): void => {
  const now = phase ?? phaseOf[node.callFrame.functionName as string]
  if (now) bytes[now] += node.selfSize
  for (const child of node.children) walk(child, now)
}
walk(profile.head, undefined)
const located = calls.reduce((n, c) => n + c.length, 0)
console.log(
  JSON.stringify({
    root,
    files: texts.length,
    located,
    ...phases,
    parseMB: Math.round(bytes.parse! / 1e6),
    locateMB: Math.round(bytes.locate! / 1e6),
  }),
)
