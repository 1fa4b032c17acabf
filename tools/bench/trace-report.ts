/**
 * `npx tsx tools/bench/trace-report.ts FILE`: the timeline of a streaming scan run with
 * PALISADE_TRACE=FILE (src/app/stream-trace.ts): per thread, each point it reached (ms
 * since the scan started), the wall and CPU time since its previous point, and its heap
 * then; the largest heap of each thread and the process's largest resident set over the
 * samples. Wall time a thread spent without CPU is idle (waiting for another thread).
 */
import { readFileSync } from 'node:fs'
import type { TraceMark } from '../../src/app/stream-trace.js'

const file = process.argv[2]
if (file === undefined) throw new Error('usage: trace-report.ts FILE (written by PALISADE_TRACE=FILE)')
const marks = readFileSync(file, 'utf8')
  .split('\n')
  .filter((l) => l !== '')
  .map((l) => JSON.parse(l) as TraceMark)
const t0 = Math.min(...marks.map((m) => m.at))
const threads = [...new Set(marks.map((m) => m.thread))].sort((a, b) => a - b)
const f = (n: number, w = 6): string => n.toFixed(0).padStart(w)

for (const thread of threads) {
  const mine = marks.filter((m) => m.thread === thread).sort((a, b) => a.at - b.at)
  console.log(`thread ${thread}${thread === 0 ? ' (main)' : ''}:        at   wall    CPU  heap used/total  ext MiB`)
  let prev: TraceMark | undefined
  for (const m of mine) {
    if (m.event.endsWith(' sample')) continue
    const wall = prev ? m.at - prev.at : 0
    const cpu = prev && m.cpuMs !== undefined && prev.cpuMs !== undefined ? m.cpuMs - prev.cpuMs : 0
    console.log(
      `  ${m.event.padEnd(24).slice(0, 24)} ${f(m.at - t0)} ${f(wall)} ${f(cpu)} ${f(m.heapUsed, 6)}/${f(m.heapTotal, 4)} ${f(m.external, 6)}`,
    )
    prev = m
    if (m.tasks)
      console.log(
        `    CPU by thread so far: ${Object.entries(m.tasks)
          .sort((a, b) => b[1] - a[1])
          .map(([name, ms]) => `${name} ${ms}`)
          .join(', ')}`,
      )
  }
  const top = mine.reduce((a, b) => (b.heapTotal > a.heapTotal ? b : a))
  console.log(
    `  largest heap: ${top.heapTotal.toFixed(0)} MiB committed (${top.heapUsed.toFixed(0)} used) at ${f(top.at - t0, 0)} ms, ${top.event}; CPU in all: ${(mine.at(-1)?.cpuMs ?? 0).toFixed(0)} ms`,
  )
}
const rss = marks.reduce((a, b) => (b.rss > a.rss ? b : a))
console.log(
  `largest RSS sampled: ${rss.rss.toFixed(0)} MiB at ${(rss.at - t0).toFixed(0)} ms (thread ${rss.thread}, ${rss.event})`,
)
