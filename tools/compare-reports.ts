/**
 * `npm run compare:reports -- [--base REF] [--head REF] [--jobs N]`: prove that a change
 * (a refactor) changed no report. Builds the base (default: the merge-base of HEAD and
 * `main`, else HEAD~1) from `git archive` in a temporary folder, and the head (default: the
 * working tree, built in place), runs both built CLIs twice on examples/gitops and on every
 * repository in ../shared/corpus/repos, in every report format (and text --verbose when the
 * base has it), and compares the reports byte for byte after rewriting only the fields of
 * normalise.ts VOLATILE_FIELDS. Values that vary between the two runs of one build are
 * renderer randomness: masked on both sides and listed, never a failure on their own.
 * Exits 1 on any difference (or randomness it cannot align), 2 on a usage or build error.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { BuildRefError, buildRef as buildRefAt } from './build-ref.js'
import {
  judge,
  normaliseVolatile,
  VOLATILE_FIELDS,
  type CaseResult,
  type Run,
  type SideFacts,
} from './compare-reports/normalise.js'

const root = fileURLToPath(new URL('../', import.meta.url)).replace(/\/$/, '')
const corpus = path.resolve(root, '../shared/corpus/repos')

interface Side {
  label: string
  ref: string | undefined
  checkout: string
  facts: SideFacts
  formats: string[]
}

function usage(message: string): never {
  process.stderr.write(
    `compare-reports: ${message}\nusage: npm run compare:reports -- [--base REF] [--head REF] [--jobs N]\n`,
  )
  process.exit(2)
}

function git(args: string[]): string {
  const r = spawnSync('git', args, { cwd: root, encoding: 'utf8' })
  if (r.status !== 0) usage(`git ${args.join(' ')} failed: ${r.stderr.trim()}`)
  return r.stdout.trim()
}

function parseArgs(argv: string[]): { base: string; head: string | undefined; jobs: number } {
  let base: string | undefined
  let head: string | undefined
  let jobs = 2
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    const value = (): string => argv[++i] ?? usage(`${a} needs a value`)
    if (a === '--base') base = value()
    else if (a === '--head') head = value()
    else if (a === '--jobs') jobs = Number(value())
    else usage(`unknown argument ${a}`)
  }
  if (!Number.isInteger(jobs) || jobs < 1) usage('--jobs takes a positive integer')
  return { base: base ?? defaultBase(), head, jobs }
}

/** Where this branch left main (what a refactor branch must not have changed); HEAD~1 on main itself or without main. */
function defaultBase(): string {
  const mb = spawnSync('git', ['merge-base', 'HEAD', 'main'], { cwd: root, encoding: 'utf8' })
  const head = git(['rev-parse', 'HEAD'])
  if (mb.status === 0 && mb.stdout.trim() !== head) return mb.stdout.trim()
  return 'HEAD~1'
}

function run(cmd: string, args: string[], cwd: string, what: string): void {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  if (r.status !== 0) usage(`${what} failed (exit ${r.status}):\n${r.stderr.slice(-2000)}`)
}

function buildRef(ref: string, tmp: string): { checkout: string; how: string } {
  try {
    return buildRefAt(root, ref, tmp)
  } catch (e) {
    if (e instanceof BuildRefError) usage(e.message)
    throw e
  }
}

function sideOf(label: string, ref: string | undefined, checkout: string): Side {
  const version = (JSON.parse(readFileSync(path.join(checkout, 'package.json'), 'utf8')) as { version: string }).version
  const help = spawnSync(process.execPath, [path.join(checkout, 'bin/palisade.js'), 'scan', '--help'], {
    encoding: 'utf8',
  }).stdout
  const choices = /--format[^(]*\(choices: ([^)]*)/s.exec(help)?.[1] ?? '"text", "json", "sarif", "junit", "markdown"'
  const formats = [...choices.matchAll(/"([a-z]+)"/g)].map((m) => m[1] ?? '')
  if (/--verbose\b/.test(help)) formats.splice(formats.indexOf('text') + 1, 0, 'text-verbose')
  return {
    label,
    ref,
    checkout,
    formats,
    facts: { checkout, version, versionsDiffer: false, tmpdir: os.tmpdir(), cwd: root },
  }
}

function scan(side: Side, input: string, format: string): Promise<Run> {
  const args = [
    path.join(side.checkout, 'bin/palisade.js'),
    'scan',
    input,
    '--no-color',
    ...(format === 'text-verbose' ? ['--format', 'text', '--verbose'] : ['--format', format]),
  ]
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] })
    const chunks: Buffer[] = []
    child.stdout.on('data', (c: Buffer) => chunks.push(c))
    child.on('error', reject)
    child.on('close', (code) =>
      resolve({
        exitCode: code,
        report: normaliseVolatile(Buffer.concat(chunks).toString('utf8'), format, side.facts),
      }),
    )
  })
}

async function pool<T>(tasks: (() => Promise<T>)[], jobs: number): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++
      results[i] = await (tasks[i] as () => Promise<T>)()
    }
  }
  await Promise.all(Array.from({ length: Math.min(jobs, tasks.length) }, worker))
  return results
}

const LABEL: Record<CaseResult['verdict'], string> = {
  identical: 'identical',
  'identical-masked': 'identical (renderer randomness masked)',
  differs: 'DIFFERS',
  unstable: 'UNSTABLE (cannot align runs of one build)',
}

async function main(): Promise<number> {
  const started = performance.now()
  const args = parseArgs(process.argv.slice(2))
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'palisade-compare-'))
  try {
    const t0 = performance.now()
    const baseBuild = buildRef(args.base, tmp)
    const baseBuildS = (performance.now() - t0) / 1000
    const t1 = performance.now()
    let headCheckout = root
    if (args.head === undefined) run('npm', ['run', 'build'], root, 'npm run build of the working tree')
    else headCheckout = buildRef(args.head, tmp).checkout
    const headBuildS = (performance.now() - t1) / 1000
    const base = sideOf('base', args.base, baseBuild.checkout)
    const head = sideOf('head', args.head, headCheckout)
    base.facts.versionsDiffer = head.facts.versionsDiffer = base.facts.version !== head.facts.version
    const baseSha = git(['rev-parse', '--short', `${args.base}^{commit}`])
    console.log(`base ${args.base} (${baseSha}) built in ${baseBuildS.toFixed(1)} s: ${baseBuild.how}`)
    console.log(`head ${args.head ?? 'working tree'} built in ${headBuildS.toFixed(1)} s`)
    console.log(`normalised by name only: ${VOLATILE_FIELDS.map((f) => f.name).join(', ')}`)

    const inputs = ['examples/gitops']
    if (existsSync(corpus)) {
      for (const e of readdirSync(corpus, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort())
        inputs.push(path.relative(root, path.join(corpus, e)))
    } else console.log(`skipped: ${path.relative(root, corpus)} is absent (only examples/gitops is compared)`)
    const formats = [...new Set([...base.formats, ...head.formats])]
    const cases = inputs.flatMap((input) => formats.map((format) => ({ input, format })))
    const runs = await pool(
      cases.flatMap(({ input, format }) =>
        [base, head].flatMap((side) =>
          side.formats.includes(format) ? [0, 1].map(() => () => scan(side, input, format)) : [],
        ),
      ),
      args.jobs,
    )
    let failed = 0
    let k = 0
    const rows: string[][] = [['input', 'format', 'result']]
    const notes: string[] = []
    for (const c of cases) {
      const onBase = base.formats.includes(c.format)
      const onHead = head.formats.includes(c.format)
      if (!onBase || !onHead) {
        k += onBase || onHead ? 2 : 0
        failed++
        rows.push([c.input, c.format, `DIFFERS (format only on the ${onBase ? 'base' : 'head'})`])
        continue
      }
      const b = [runs[k++], runs[k++]] as [Run, Run]
      const h = [runs[k++], runs[k++]] as [Run, Run]
      const result = judge(b, h)
      if (result.verdict === 'differs' || result.verdict === 'unstable') failed++
      rows.push([c.input, c.format, LABEL[result.verdict]])
      if (result.detail.length > 0 || result.unstable.length > 0) {
        notes.push(`${c.input} ${c.format}:`)
        for (const u of result.unstable.slice(0, 3)) notes.push(`  unstable (renderer randomness): ${u}`)
        if (result.unstable.length > 3) notes.push(`  ... and ${result.unstable.length - 3} more unstable line shapes`)
        if (result.orderVaries)
          notes.push(
            '  the order of lines varies between runs of one build (sorted by a random name): compared as sets of lines',
          )
        for (const d of result.detail) notes.push(`  ${d}`)
      }
    }
    const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? []
    for (const r of rows)
      console.log(
        r
          .map((cell, i) => cell.padEnd(widths[i] ?? 0))
          .join('  ')
          .trimEnd(),
      )
    if (notes.length > 0) console.log(`\n${notes.join('\n')}`)
    console.log(
      `\n${cases.length} comparisons, ${failed} failed, ${runs.length} scans, ${((performance.now() - started) / 1000).toFixed(1)} s in all`,
    )
    return failed > 0 ? 1 : 0
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
}

process.exitCode = await main()
