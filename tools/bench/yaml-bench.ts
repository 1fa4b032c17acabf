/**
 * Throughput of src/yaml against JSON.parse, the fast reader against the js-yaml path, over two
 * corpora: the benchmark corpus of issue #2 (20,000 generated resources in 2,000 files, by
 * tools/bench/corpus.ts) and the YAML files of ../shared/corpus (real manifests, policies and
 * fixtures). Also prints the share of documents the fast reader takes, and why it gave up.
 *
 *   node --expose-gc --import tsx tools/bench/yaml-bench.ts [real-corpus-dir] [--rounds N] [--only bench|real]
 *
 * Each file is parsed on its own, as a scan does. MB/s are of YAML bytes; JSON.parse reads
 * the same documents serialised as JSON (its own MB/s is of JSON bytes), so the "x JSON"
 * column compares time for the same content: the median of per-round ratios, each round
 * timing JSON.parse and the case back to back, since on a shared machine the ratio is far
 * steadier than either time. Each case runs in a process of its own.
 */
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { createRequire } from 'node:module'
import type * as JsYaml from 'js-yaml'
import { parseAllDocuments } from 'yaml'
import { fastPathReport, parseManifests, type ParseOptions } from '../../src/yaml/index.js'
import { writeCorpus } from './corpus.js'

const jsYaml = createRequire(import.meta.url)('js-yaml') as typeof JsYaml
const args = process.argv.slice(2)
const flag = (name: string): string | undefined => {
  const at = args.indexOf(name)
  return at >= 0 ? args[at + 1] : undefined
}
const rounds = Number(flag('--rounds') ?? 9)
const flagValues = new Set(
  ['--rounds', '--case', '--corpus', '--only'].map((name) => args.indexOf(name) + 1).filter((i) => i > 0),
)
const realRoot = resolve(
  args.find((a, i) => !a.startsWith('--') && !flagValues.has(i)) ?? join(import.meta.dirname, '../../../shared/corpus'),
)
const benchRoot = join(import.meta.dirname, '../../.bench/yaml-bench-corpus')

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) yamlFiles(path, out)
    else if (/\.ya?ml$/.test(name) && !/[/\\]templates[/\\]/.test(path)) out.push(path)
  }
  return out
}

// Only strings are kept between runs: holding parsed documents would make every measurement
// pay for garbage collection over a large heap.
function load(root: string) {
  const texts = yamlFiles(root).map((path) => readFileSync(path, 'utf8'))
  const good = texts.filter((text) => parseManifests(text, 'bench', { fastPath: false }).diagnostics.length === 0)
  const parsed = good.map((text) => parseManifests(text, 'bench', { fastPath: false }).documents.map((d) => d.object))
  const jsons = parsed.map((objects) => JSON.stringify(objects))
  const pointers = parsed.map((objects) => objects.map((object) => pointersOf(object)))
  return { good, jsons, pointers }
}

/** Every pointer of a value. */
function pointersOf(value: unknown, prefix = '', out: string[] = []): string[] {
  if (value === null || typeof value !== 'object') return out
  for (const [key, child] of Object.entries(value)) {
    const pointer = `${prefix}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`
    out.push(pointer)
    pointersOf(child, pointer, out)
  }
  return out
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[values.length >> 1]!
}

const collect = (globalThis as { gc?: () => void }).gc ?? (() => undefined)

/** Median time of `run`, and the median ratio to JSON.parse of the same content in the same rounds. */
function measure(jsons: readonly string[], run: () => void): { ms: number; ratio: number } {
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

type Corpus = ReturnType<typeof load>
type Case = readonly [name: string, bytes: 'yaml' | 'json', run: (corpus: Corpus) => () => void]

const FAST: ParseOptions = {}
const EVENTS: ParseOptions = { fastPath: false }

/**
 * Locate one pointer in one document of `documentStep`, picked by a fixed scramble (every
 * 10th document would always be the big workload at the head of each generated file), or
 * every `pointerStep`-th pointer of every document.
 */
const locating = (options: ParseOptions, documentStep: number, pointerStep: number) => (corpus: Corpus) => () => {
  let n = 0
  corpus.good.forEach((text, i) =>
    parseManifests(text, 'bench', options).documents.forEach((doc, d) => {
      const pointers = corpus.pointers[i]![d]!
      if (documentStep > 0) {
        if ((Math.imul(++n, 0x9e3779b1) >>> 0) % documentStep === 0 && pointers.length > 0)
          doc.locate(pointers[pointers.length >> 1]!)
      } else pointers.forEach((p, k) => k % pointerStep === 0 && doc.locate(p))
    }),
  )
}

const cases: readonly Case[] = [
  ['JSON.parse (same documents as JSON)', 'json', (c) => () => c.jsons.forEach((json) => JSON.parse(json))],
  ['parseManifests, fast path', 'yaml', (c) => () => c.good.forEach((t) => parseManifests(t, 'bench', FAST))],
  ['parseManifests, js-yaml path', 'yaml', (c) => () => c.good.forEach((t) => parseManifests(t, 'bench', EVENTS))],
  ['fast path + locate in 1 document of 10', 'yaml', locating(FAST, 10, 0)],
  ['js-yaml path + locate in 1 document of 10', 'yaml', locating(EVENTS, 10, 0)],
  ['fast path + locate 1 pointer in 20', 'yaml', locating(FAST, 0, 20)],
  ['js-yaml path + locate 1 pointer in 20', 'yaml', locating(EVENTS, 0, 20)],
  ['fast path + locate every pointer', 'yaml', locating(FAST, 0, 1)],
  [
    'js-yaml events + objects alone',
    'yaml',
    (c) => () => c.good.forEach((t) => jsYaml.constructFromEvents(jsYaml.parseEvents(t, {}), { source: t })),
  ],
  ['yaml parseAllDocuments', 'yaml', (c) => () => c.good.forEach((t) => parseAllDocuments(t))],
]

/** Files and documents the fast reader takes, and the commonest reasons it gives up. */
function coverage(corpus: Corpus): string {
  let files = 0
  let documents = 0
  let allDocuments = 0
  const reasons = new Map<string, number>()
  corpus.good.forEach((text, i) => {
    const count = corpus.pointers[i]!.length
    allDocuments += count
    const report = fastPathReport(text)
    if (report.taken) {
      files++
      documents += count
    } else reasons.set(report.reason, (reasons.get(report.reason) ?? 0) + count)
  })
  const top = [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 5)
  const why =
    top.length === 0 ? '' : `; documents left to js-yaml: ${top.map(([reason, n]) => `${reason} (${n})`).join(', ')}`
  return `fast path takes ${files}/${corpus.good.length} files, ${documents}/${allDocuments} documents (${((100 * documents) / allDocuments).toFixed(1)}%)${why}`
}

const only = flag('--case')
if (only !== undefined) {
  const corpus = load(flag('--corpus')!)
  console.log(JSON.stringify(measure(corpus.jsons, cases[Number(only)]![2](corpus))))
} else {
  const which = flag('--only')
  if (which !== 'real') writeCorpus(benchRoot, 2000, 42)
  const corpora = [
    ['benchmark corpus (tools/bench/corpus.ts, 2,000 files)', benchRoot],
    ['real corpus', realRoot],
  ].filter(([name]) => which === undefined || name!.startsWith(which === 'bench' ? 'benchmark' : 'real'))
  for (const [title, root] of corpora) {
    const corpus = load(root!)
    const yamlBytes = corpus.good.reduce((n, t) => n + t.length, 0)
    const jsonBytes = corpus.jsons.reduce((n, t) => n + t.length, 0)
    console.log(`\n${title}: ${root}`)
    console.log(
      `${corpus.good.length} files, ${(yamlBytes / 1e6).toFixed(2)} MB YAML, ${(jsonBytes / 1e6).toFixed(2)} MB as JSON, ${corpus.pointers.flat(2).length} pointers; median of ${rounds} rounds`,
    )
    console.log(coverage(corpus))
    console.log(`${'what'.padEnd(44)} ${'ms'.padStart(8)} ${'MB/s'.padStart(8)} ${'x JSON'.padStart(8)}`)
    cases.forEach(([name, bytes], index) => {
      const childArgs = [
        ...process.execArgv,
        process.argv[1]!,
        '--rounds',
        String(rounds),
        '--case',
        String(index),
        '--corpus',
        root!,
      ]
      const output = execFileSync(process.execPath, childArgs, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 })
      const { ms, ratio } = JSON.parse(output.trim().split('\n').pop()!) as { ms: number; ratio: number }
      const size = bytes === 'json' ? jsonBytes : yamlBytes
      console.log(
        `${name.padEnd(44)} ${ms.toFixed(1).padStart(8)} ${(size / 1e3 / ms).toFixed(1).padStart(8)} ${ratio.toFixed(2).padStart(8)}`,
      )
    })
  }
}
