/**
 * `npx tsx tools/bench/variables-bench.ts --base DIR [--rounds N] [--files N]`: A/B of the
 * built-in policies that declare CEL `variables`, the head's engine against another
 * checkout's (DIR: `git archive REF | tar -x -C DIR` with its package.json and a node_modules
 * link; without package.json tsx compiles DIR as CommonJS, 1.5-2x slower). Both are loaded
 * in one process and timed alternately (process.cpuUsage), `--rounds` each, over the
 * resources of the first `--files` YAML files of .bench/dense-20000. The two variants'
 * outcomes are compared. Prints the medians in ms.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseAllDocuments } from 'yaml'

/* eslint-disable @typescript-eslint/no-explicit-any */
type Any = any
const args = process.argv.slice(2)
const flag = (name: string): string | undefined => {
  const at = args.indexOf(name)
  return at >= 0 ? args[at + 1] : undefined
}
if (flag('--base') === undefined) throw new Error('usage: variables-bench.ts --base DIR [--rounds N] [--files N]')
const head = resolve(import.meta.dirname, '../..')
const base = resolve(flag('--base') as string)
const rounds = Number(flag('--rounds') ?? 7)
const fileCount = Number(flag('--files') ?? 2000)
const corpus = resolve(head, flag('--corpus') ?? '/work/main/.bench/dense-20000')
const cpu = (): number => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number

function yamlFiles(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir).sort()) {
    if (out.length >= fileCount) break
    const p = join(dir, name)
    if (statSync(p).isDirectory()) yamlFiles(p, out)
    else if (/\.ya?ml$/.test(name)) out.push(p)
  }
  return out
}
const objects: Any[] = []
for (const file of yamlFiles(corpus, []))
  for (const doc of parseAllDocuments(readFileSync(file, 'utf8')) as Any[]) {
    const o = doc.toJS?.()
    if (o !== null && typeof o === 'object' && typeof o.kind === 'string') objects.push(o)
  }

async function variant(root: string): Promise<{ run: () => unknown[] }> {
  const load = async (rel: string): Promise<Any> => import(pathToFileURL(join(root, 'src', rel)).href)
  const engine = await load('engine/index.ts')
  const { BUILTIN_POLICIES } = await load('policies/index.ts')
  const policies = (BUILTIN_POLICIES as Any[])
    .filter((s) => (s.variables ?? []).length > 0)
    .map((s) => engine.compilePolicy(s).policy)
  return {
    run: () => {
      const out: unknown[] = []
      for (const o of objects) for (const p of policies) out.push(p.evaluate(o, {}))
      return out
    },
  }
}

const variants = { base: await variant(base), head: await variant(head) }
const a = JSON.stringify(variants.base.run())
const b = JSON.stringify(variants.head.run())
if (a !== b) throw new Error('the two variants disagree')
const times: Record<string, number[]> = { base: [], head: [] }
for (let r = 0; r < rounds; r++)
  for (const name of r % 2 === 0 ? (['base', 'head'] as const) : (['head', 'base'] as const)) {
    const t = cpu()
    variants[name].run()
    times[name]?.push(cpu() - t)
  }
console.log(
  `${objects.length} resources x policies with variables, ${rounds} rounds: base ${median(times.base as number[]).toFixed(1)} ms, head ${median(times.head as number[]).toFixed(1)} ms`,
)
