/**
 * `npx tsx tools/bench/finding-parts-bench.ts PART --base DIR [--rounds N] [--files N] [--processes N]`:
 * A/B of one part of the second pass's per-finding work, the head's code against another
 * checkout's (DIR: `git archive REF | tar -x -C DIR`, with this package.json and a node_modules
 * link: without package.json, tsx compiles DIR's files as CommonJS, 1.5-2x slower). CPU time
 * (process.cpuUsage) over the findings of the first `--files` files of .bench/dense-20000.
 * PART: fingerprint, stable-path (in one process, alternating, `--rounds` each), locate
 * (every distinct path of each resource, as checkResources asks) and mask (withMaskedStrings
 * over the findings with fresh strings): one process per variant, alternating, `--processes`
 * pairs. The two variants' answers are compared. Prints the medians in ms.
 */
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

/* eslint-disable @typescript-eslint/no-explicit-any */
type Any = any
const args = process.argv.slice(2)
const flag = (name: string): string | undefined => {
  const at = args.indexOf(name)
  return at >= 0 ? args[at + 1] : undefined
}
const part = args[0] ?? ''
const head = resolve(import.meta.dirname, '../..')
const base = resolve(flag('--base') ?? '')
const rounds = Number(flag('--rounds') ?? 8)
const fileCount = Number(flag('--files') ?? 400)
const variant = flag('--variant')
const load = async (root: string, rel: string): Promise<Any> => import(pathToFileURL(join(root, 'src', rel)).href)
const cpu = (): number => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number

if (!['fingerprint', 'stable-path', 'locate', 'mask'].includes(part) || flag('--base') === undefined)
  throw new Error('usage: finding-parts-bench.ts fingerprint|stable-path|locate|mask --base DIR')

if ((part === 'locate' || part === 'mask') && variant === undefined) {
  // The driver: one process per variant, alternating.
  const times: Record<string, number[]> = { base: [], head: [] }
  let answer: string | undefined
  for (let i = 0; i < Number(flag('--processes') ?? 3); i++)
    for (const v of ['base', 'head']) {
      const out = execFileSync(
        process.execPath,
        [...process.execArgv, process.argv[1] as string, ...args, '--variant', v],
        {
          encoding: 'utf8',
        },
      )
      const { ms, sum } = JSON.parse(out) as { ms: number; sum: string }
      if (answer !== undefined && answer !== sum) throw new Error(`${v} answers differently`)
      answer = sum
      times[v]?.push(ms)
    }
  console.log(
    `${part}: base ${median(times.base ?? [])} ms, head ${median(times.head ?? [])} ms (medians of process medians: ${JSON.stringify(times)})`,
  )
  process.exit(0)
}

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) yamlFiles(p, out)
    else if (/\.ya?ml$/.test(name)) out.push(p)
  }
  return out
}
const dir = join(head, '.bench/dense-20000')
const texts = yamlFiles(dir)
  .slice(0, fileCount)
  .map((path) => ({ path, text: readFileSync(path, 'utf8') }))
// The variant under test (locate, mask) prepares its own input: no code of the other variant is run.
const prep = variant === 'base' ? base : head
const pipeline = await load(prep, 'pipeline/index.ts')
const app = await load(prep, 'app/index.ts')
const engine = await load(prep, 'engine/index.ts')
const core = await load(prep, 'core/index.ts')
const set = await app.loadPolicySet(
  { scanPaths: [dir] },
  { stdin: process.stdin, cwd: dir, env: {}, now: () => new Date() },
)
const resolver = set.resolverAt(new Date())
const fresh = (s: string): string => (' ' + s).slice(1)

if (part === 'fingerprint' || part === 'stable-path') {
  const rows: { object: Any; ref: Any; identity: Any; v: Any }[] = []
  for (const t of texts)
    for (const r of pipeline.resourcesOf(t).resources) {
      const ref = core.resourceRef(r.object)
      for (const { outcome } of engine.evaluate(set.policies, r.object, { namespaceObject: null }))
        for (const v of outcome.violations) rows.push({ object: r.object, ref, identity: r.identity, v })
    }
  const cases: Record<string, () => string[]> = {}
  if (part === 'fingerprint') {
    const [o, n] = [await load(base, 'core/fingerprint.ts'), await load(head, 'core/fingerprint.ts')]
    cases.base = () =>
      rows.map(({ ref, identity, v }) =>
        // As checkResources called it before (src/pipeline/check.ts fingerprintOf).
        o.findingFingerprint({
          policyId: v.policyId,
          messageId: v.messageId,
          resource: ref,
          stablePath: v.stablePath,
          ...(identity === undefined ? {} : { identity }),
        }),
      )
    cases.head = () => {
      let last: Any
      let prefix = ''
      return rows.map(({ ref, identity, v }) => {
        if (ref !== last) prefix = n.fingerprintPrefix((last = ref), identity)
        return n.fingerprintWithin(prefix, v)
      })
    }
  } else {
    const [o, n] = [await load(base, 'engine/stable-path.ts'), await load(head, 'engine/stable-path.ts')]
    cases.base = () => rows.map(({ object, v }) => o.stablePath(object, fresh(v.path)))
    cases.head = () => rows.map(({ object, v }) => n.stablePath(object, fresh(v.path)))
  }
  const times: Record<string, number[]> = { base: [], head: [] }
  for (let round = 0; round < rounds; round++)
    for (const v of round % 2 === 0 ? ['base', 'head'] : ['head', 'base']) {
      const t = cpu()
      ;(cases[v] as () => string[])()
      times[v]?.push(cpu() - t)
    }
  if ((cases.base as () => string[])().join() !== (cases.head as () => string[])().join())
    throw new Error('the variants answer differently')
  console.log(
    `${part}: ${rows.length} findings; base ${median(times.base ?? []).toFixed(1)} ms, head ${median(times.head ?? []).toFixed(1)} ms (medians of ${rounds})`,
  )
} else {
  const times: number[] = []
  let sum = ''
  for (let round = 0; round < rounds; round++) {
    let spent = 0
    let hash = 0
    if (part === 'locate') {
      for (const t of texts) {
        const resources = pipeline.resourcesOf(t).resources
        const paths = resources.map((r: Any) => {
          const set2 = new Set<string>()
          for (const { outcome } of engine.evaluate(set.policies, r.object, { namespaceObject: null }))
            for (const v of outcome.violations) set2.add(fresh(v.path))
          return [...set2]
        })
        const start = cpu()
        resources.forEach((r: Any, k: number) => {
          for (const p of paths[k]) {
            const s = r.locate(p)
            hash = (hash * 31 + s.start.offset * 7 + s.end.offset) % 1_000_000_007
          }
        })
        spent += cpu() - start
      }
    } else {
      const masking = await load(prep, 'app/redact-result.ts')
      const results = texts.map((t) =>
        pipeline.checkResources(pipeline.resourcesOf(t).resources, [t], [], {
          policies: set.policies,
          resolver,
          namespaces: new Map(),
          crossOutcomes: () => [],
          expiredWaivers: new Set(),
        }),
      )
      const copies = results.map((r: Any) => ({
        ...r,
        findings: r.findings.map((f: Any) => {
          const path = fresh(f.path)
          return {
            ...f,
            message: fresh(f.message),
            path,
            stablePath: f.stablePath === f.path ? path : fresh(f.stablePath),
          }
        }),
      }))
      const start = cpu()
      const out = copies.map((r: Any) => masking.withMaskedStrings(r))
      spent += cpu() - start
      for (const r of out)
        for (const f of r.findings) hash = (hash * 31 + f.message.length + f.stablePath.length) % 1_000_000_007
    }
    times.push(spent)
    sum = String(hash)
  }
  console.log(JSON.stringify({ ms: Math.round(median(times)), sum }))
}
