/**
 * `npx tsx tools/bench/first-pass-bench.ts [DIR] [--rounds=N]`: the streaming scan's first pass
 * alone, in-process, over every YAML file of DIR (default .bench/dense-20000, which `npm run
 * bench` writes): what each file gives the run, read the whole way (`filePartsOf` over
 * `objectsOf`: every document parsed), the header way (`firstPassParts`: only the documents
 * something may be kept of) and the header way as one thread reads its files (`earlier`: nor
 * the workloads of a namespace an earlier file gave one of), interleaved, N rounds each (default 5), CPU time
 * (`process.cpuUsage`) of each and their medians. Files are read and decoded once, before the
 * rounds (their cost is the same either way and is printed apart). Both ways must give the
 * same parts: the bench fails otherwise.
 */
import { lstatSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import { fileURLToPath } from 'node:url'
import { compilePolicySet } from '../../src/engine/index.js'
import {
  EarlierFirsts,
  filePartsOf,
  firstPassParts,
  objectsOf,
  type FileParts,
  type SourceText,
} from '../../src/pipeline/index.js'
import { BUILTIN_POLICIES } from '../../src/policies/index.js'
import { decodeSource } from '../../src/yaml/index.js'
import { median } from './measure.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const argv = process.argv.slice(2)
const dir = argv.find((a) => !a.startsWith('--')) ?? join(root, '.bench', 'dense-20000')
const rounds = Number(argv.find((a) => a.startsWith('--rounds='))?.slice('--rounds='.length) ?? 5)
if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds takes a positive integer')

function yamlFiles(at: string, out: string[] = []): string[] {
  for (const name of readdirSync(at).sort()) {
    const path = join(at, name)
    const stat = lstatSync(path)
    if (stat.isDirectory()) yamlFiles(path, out)
    else if (stat.isFile() && /\.(ya?ml|json)$/i.test(name)) out.push(path)
  }
  return out
}

const cpu = (): number => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}

const readStart = cpu()
const sources: SourceText[] = []
for (const path of yamlFiles(dir)) {
  const decoded = decodeSource(readFileSync(path), path)
  if ('text' in decoded) sources.push({ path, text: decoded.text })
}
const readMs = cpu() - readStart
const { set } = compilePolicySet(BUILTIN_POLICIES)
const environment = (): undefined => undefined
const whole = (s: SourceText): FileParts => {
  const { resources } = objectsOf(s)
  return filePartsOf(set, resources, resources.map(environment))
}
const header = (s: SourceText): FileParts => firstPassParts(set, s, environment)

for (const s of sources)
  if (!isDeepStrictEqual(whole(s), header(s))) throw new Error(`the two ways differ on ${s.path}`)

// As one thread reads its share (here: every file, in order), skipping what its earlier files gave.
const earlier = (): ((s: SourceText, file: number) => unknown) => {
  const firsts = new EarlierFirsts()
  return (s, file) => firstPassParts(set, s, environment, { file, firsts })
}
const ways = ['whole', 'header', 'earlier'] as const
const times: Record<(typeof ways)[number], number[]> = { whole: [], header: [], earlier: [] }
for (let r = 0; r < rounds; r++)
  for (const name of ways) {
    const way = name === 'whole' ? whole : name === 'header' ? header : earlier()
    const start = cpu()
    sources.forEach((s, i) => way(s, i))
    times[name].push(cpu() - start)
  }
const mb = sources.reduce((n, s) => n + s.text.length, 0) / 1e6
console.log(
  `${sources.length} files, ${mb.toFixed(1)} M characters; read and decoded once: ${readMs.toFixed(0)} ms CPU`,
)
for (const name of ways)
  console.log(
    `${name.padEnd(7)} ${times[name].map((t) => t.toFixed(0)).join(' ')} ms CPU; median ${median(times[name]).toFixed(0)} ms`,
  )
for (const name of ['header', 'earlier'] as const)
  console.log(`${name} / whole: ${(median(times[name]) / median(times.whole)).toFixed(3)}`)
