/**
 * `npm run bench`: generate 20,000 realistic resources in 2,000 files (deterministic),
 * run the real CLI over them, and compare its wall time with JSON.parse of the same
 * resources. Prints resources per second, peak memory and the ratio, and checks the
 * floors of issue #2 (scan within 8x JSON.parse, peak memory under 1 GiB).
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { writeCorpus } from './corpus.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const work = join(root, '.bench')
const corpus = join(work, 'corpus')
const runs = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 3)

mkdirSync(work, { recursive: true })
const generated = writeCorpus(corpus, 2000, 42)
console.log(`corpus: ${generated.resources} resources in ${generated.files} files, ${(generated.bytes / 1e6).toFixed(1)} MB of YAML`)

// Baseline: JSON.parse of the same resources, one JSON text per file.
const texts = generated.objects.map((docs) => JSON.stringify(docs))
const jsonBytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0)
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number
const jsonTimes: number[] = []
for (let i = 0; i < 7; i++) {
  const t0 = process.hrtime.bigint()
  let n = 0
  for (const t of texts) n += (JSON.parse(t) as unknown[]).length
  jsonTimes.push(Number(process.hrtime.bigint() - t0) / 1e6)
  if (n !== generated.resources) throw new Error('JSON baseline miscounted')
}
const jsonMs = median(jsonTimes)

const scanTimes: number[] = []
const rss: number[] = []
let exitCode: number | null = null
for (let i = 0; i < runs; i++) {
  const t0 = process.hrtime.bigint()
  const child = spawnSync(
    process.execPath,
    ['--import', join(root, 'tools/bench/rss-reporter.mjs'), join(root, 'bin/palisade.js'), 'scan', corpus, '--format', 'json', '--output', join(work, 'scan.json')],
    { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, CI: '1' } },
  )
  scanTimes.push(Number(process.hrtime.bigint() - t0) / 1e6)
  exitCode = child.status
  const line = child.stderr.split('\n').find((l) => l.startsWith('@@bench '))
  if (!line || (child.status !== 0 && child.status !== 1)) {
    console.error(child.stderr)
    throw new Error(`scan failed with exit ${child.status}`)
  }
  rss.push((JSON.parse(line.slice(8)) as { maxRssKiB: number }).maxRssKiB)
}
const scanMs = median(scanTimes)
const peakMiB = Math.max(...rss) / 1024
const ratio = scanMs / jsonMs

console.log(`JSON.parse of the same resources: ${jsonMs.toFixed(1)} ms (${(jsonBytes / 1e6).toFixed(1)} MB JSON, median of 7)`)
console.log(`palisade scan (CLI, end to end, median of ${runs}): ${scanMs.toFixed(0)} ms, exit ${exitCode}`)
console.log(`resources per second: ${Math.round(generated.resources / (scanMs / 1000))}`)
console.log(`peak memory (max RSS): ${peakMiB.toFixed(0)} MiB`)
console.log(`scan / JSON.parse wall-time ratio: ${ratio.toFixed(2)}`)
const ok = ratio <= 8 && peakMiB < 1024
console.log(ok ? 'floors met: ratio <= 8 and peak < 1 GiB' : 'FLOOR MISSED: ratio must be <= 8 and peak memory < 1 GiB')
process.exitCode = ok ? 0 : 1
