/**
 * Throughput of src/yaml against JSON.parse and the `yaml` package, over the YAML files of
 * ../shared/corpus (several MB of real manifests, policies and fixtures).
 *
 *   node --expose-gc --import tsx tools/bench/yaml-bench.ts [corpus-dir] [--rounds N]
 *
 * Each file is parsed on its own, as a scan does. MB/s are of YAML bytes; JSON.parse reads
 * the same documents serialised as JSON (its own MB/s is of JSON bytes), so the "x JSON"
 * column compares time for the same content (median of per-round ratios).
 */
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { createRequire } from 'node:module'
import * as esmJsYaml from 'js-yaml'
import { parseAllDocuments } from 'yaml'
import { parseManifests } from '../../src/yaml/index.js'

const cjsJsYaml = createRequire(import.meta.url)('js-yaml') as typeof esmJsYaml
const args = process.argv.slice(2)
const roundsFlag = args.indexOf('--rounds')
const rounds = roundsFlag >= 0 ? Number(args[roundsFlag + 1]) : 7
const flagValues = new Set([roundsFlag + 1, args.indexOf('--case') + 1].filter((i) => i > 0))
const root = resolve(args.find((a, i) => !a.startsWith('--') && !flagValues.has(i)) ?? join(import.meta.dirname, '../../../shared/corpus'))

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) yamlFiles(path, out)
    else if (/\.ya?ml$/.test(name) && !/[/\\]templates[/\\]/.test(path)) out.push(path)
  }
  return out
}

// Only strings are kept between runs: holding parsed documents (and their events) would
// make every measurement pay for garbage collection over a large heap.
const texts = yamlFiles(root).map((path) => readFileSync(path, 'utf8'))
const good = texts.filter((text) => parseManifests(text, 'bench').diagnostics.length === 0)
const jsons = good.map((text) => JSON.stringify(parseManifests(text, 'bench').documents.map((d) => d.object)))
const yamlBytes = good.reduce((n, t) => n + t.length, 0)
const jsonBytes = jsons.reduce((n, t) => n + t.length, 0)

/** Every pointer of a value, for the "locate everything" worst case. */
function pointers(value: unknown, prefix = '', out: string[] = []): string[] {
  if (value === null || typeof value !== 'object') return out
  for (const [key, child] of Object.entries(value)) {
    const pointer = `${prefix}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`
    out.push(pointer)
    pointers(child, pointer, out)
  }
  return out
}
const allPointers = good.map((text) => parseManifests(text, 'bench').documents.map((d) => pointers(d.object)))

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[sorted.length >> 1]!
}

const collect = (globalThis as { gc?: () => void }).gc ?? (() => undefined)

/**
 * Median time of `run`, and the median ratio to JSON.parse of the same content measured in
 * the same rounds, interleaved: on a shared machine the load changes between rounds, and the
 * ratio is steadier than either time.
 */
function measure(run: () => void): { ms: number; ratio: number } {
  const parseJson = () => jsons.forEach((json) => JSON.parse(json))
  run()
  parseJson()
  collect()
  const times: number[] = []
  const ratios: number[] = []
  for (let i = 0; i < rounds; i++) {
    let start = performance.now()
    parseJson()
    const jsonMs = performance.now() - start
    start = performance.now()
    run()
    const ms = performance.now() - start
    times.push(ms)
    ratios.push(ms / jsonMs)
  }
  return { ms: median(times), ratio: median(ratios) }
}

type Case = readonly [name: string, bytes: 'yaml' | 'json', run: () => void]

const locateEvery = (step: number) => () =>
  good.forEach((text, i) =>
    parseManifests(text, 'bench').documents.forEach((doc, d) => allPointers[i]![d]!.forEach((p, k) => k % step === 0 && doc.locate(p))),
  )

const eventsAndObjects = (jsYaml: typeof esmJsYaml) => () => good.forEach((t) => jsYaml.constructFromEvents(jsYaml.parseEvents(t, {}), { source: t }))

const cases: readonly Case[] = [
  ['JSON.parse (same documents as JSON)', 'json', () => jsons.forEach((json) => JSON.parse(json))],
  ['parseManifests on those JSON texts', 'json', () => jsons.forEach((json) => parseManifests(json, 'bench'))],
  ['parseManifests (no locate)', 'yaml', () => good.forEach((t) => parseManifests(t, 'bench'))],
  ['parseManifests + locate 1 pointer in 20', 'yaml', locateEvery(20)],
  ['parseManifests + locate every pointer', 'yaml', locateEvery(1)],
  ['js-yaml events + objects, CommonJS build', 'yaml', eventsAndObjects(cjsJsYaml)],
  ['js-yaml events + objects, ES module build', 'yaml', eventsAndObjects(esmJsYaml)],
  ['yaml parseAllDocuments', 'yaml', () => good.forEach((t) => parseAllDocuments(t))],
]

// Each case runs in its own process: sharing one would let the JIT's type feedback from one
// case (js-yaml with its default schema) slow down the next (js-yaml with ours).
const only = args.indexOf('--case')
if (only >= 0) {
  console.log(JSON.stringify(measure(cases[Number(args[only + 1])]![2])))
} else {
  const pointerCount = allPointers.flat(2).length
  console.log(`${good.length} files, ${(yamlBytes / 1e6).toFixed(2)} MB YAML, ${(jsonBytes / 1e6).toFixed(2)} MB as JSON, ${pointerCount} pointers; median of ${rounds} rounds`)
  console.log(`${'what'.padEnd(44)} ${'ms'.padStart(8)} ${'MB/s'.padStart(8)} ${'x JSON'.padStart(8)}`)
  cases.forEach(([name, bytes], index) => {
    const output = execFileSync(process.execPath, [...process.execArgv, process.argv[1]!, ...args, '--case', String(index)], { encoding: 'utf8' })
    const { ms, ratio } = JSON.parse(output.trim().split('\n').pop()!) as { ms: number; ratio: number }
    const size = bytes === 'json' ? jsonBytes : yamlBytes
    console.log(`${name.padEnd(44)} ${ms.toFixed(1).padStart(8)} ${(size / 1e3 / ms).toFixed(1).padStart(8)} ${ratio.toFixed(1).padStart(8)}`)
  })
}
