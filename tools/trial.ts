/**
 * `npm run trial`: scan every repository under ../shared/corpus/repos with the built CLI, in
 * every report format (text, json, sarif, junit, markdown), and print per repository:
 * resources, findings, distinct findings (policy, file, line, column, path), renders failed,
 * sources not scanned, errors, and the wall time of the JSON scan. Exits 1 when a scan exits
 * 3 (internal error), when the scan reports a YAML parse error in a file that the `yaml`
 * library parses without error, or when a report prints a finding twice (same policy,
 * file:line:column, resource and message; see trial/printed-findings.ts).
 *
 * `--bin PATH` runs another build of the CLI (to compare before and after a change).
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseAllDocuments } from 'yaml'
import { printedFindings, printedTwice, TRIAL_FORMATS } from './trial/printed-findings.js'

const root = fileURLToPath(new URL('../', import.meta.url))
const binFlag = process.argv.indexOf('--bin')
const bin = binFlag >= 0 ? path.resolve(process.argv[binFlag + 1] ?? '') : path.join(root, 'bin/palisade.js')
const corpus = path.join(root, '../shared/corpus/repos')

interface JsonReport {
  summary: { resources: number; findings: number; errors: number }
  findings: { policy: string; file: string | null; line: number | null; column: number | null; path: string }[]
  errors: { file: string | null; line: number | null; code: string; message: string }[]
  sources?: { status: string }[]
}

const problems: string[] = []
const rows: string[][] = [
  ['repository', 'resources', 'findings', 'distinct', 'renders failed', 'not scanned', 'errors', 'wall s'],
]

for (const repo of readdirSync(corpus, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort()) {
  const target = path.relative(root, path.join(corpus, repo))
  let json: JsonReport | undefined
  let wall = 0
  for (const format of TRIAL_FORMATS) {
    const start = performance.now()
    const run = spawnSync(process.execPath, [bin, 'scan', target, '--format', format, '--no-color'], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 512 * 1024 * 1024,
    })
    const ms = performance.now() - start
    if (run.status === 3 || run.status === null)
      problems.push(
        `${repo} --format ${format}: exit ${run.status ?? run.signal}: ${run.stderr.trim().split('\n').slice(0, 3).join(' ')}`,
      )
    if (run.status !== 0 && run.status !== 1) {
      problems.push(`${repo} --format ${format}: exit ${run.status}`)
      continue
    }
    for (const [key, n] of printedTwice(printedFindings(format, run.stdout)))
      problems.push(`${repo} --format ${format}: printed ${n} times: ${key}`)
    if (format === 'json') {
      json = JSON.parse(run.stdout) as JsonReport
      wall = ms
    }
  }
  if (!json) continue
  for (const e of json.errors) {
    if (!e.code.startsWith('YAML_') || e.file === null || e.message.startsWith('rendered by')) continue
    const file = path.resolve(root, e.file)
    if (!existsSync(file)) continue
    const raised = parseAllDocuments(readFileSync(file, 'utf8')).some((d) => d.errors.length > 0)
    if (!raised)
      problems.push(
        `${repo}: ${e.code} at ${e.file}:${e.line ?? '?'} (${e.message}), which the yaml library parses without error`,
      )
  }
  const distinct = new Set(json.findings.map((f) => [f.policy, f.file, f.line, f.column, f.path].join('\u0000'))).size
  const count = (status: string): number => (json?.sources ?? []).filter((s) => s.status === status).length
  rows.push(
    [
      repo,
      json.summary.resources,
      json.summary.findings,
      distinct,
      count('failed'),
      count('unscanned'),
      json.summary.errors,
      (wall / 1000).toFixed(1),
    ].map(String),
  )
}

const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
for (const r of rows)
  console.log(r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '))
if (problems.length > 0) {
  console.log(`\n${problems.length} problem(s):`)
  for (const p of problems) console.log(`  ${p}`)
  process.exitCode = 1
} else {
  console.log('\nno internal errors, no parse errors the yaml library does not raise, no finding printed twice')
}
