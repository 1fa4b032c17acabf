/**
 * Timing a CLI process for the benches: wall time from spawn to exit and the child's peak
 * RSS (reported by rss-reporter.mjs, loaded with --import), medians, and interleaving the
 * runs of several builds so that the load of a shared machine falls on all of them alike.
 */
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const reporter = fileURLToPath(new URL('./rss-reporter.mjs', import.meta.url))

export interface CliRun {
  ms: number
  /** User + system CPU time of the process, all its threads. */
  cpuMs: number
  rssMiB: number
  exit: number | null
}

/** Run `node [nodeArgs] <cli> args`; throws unless it exits 0 or 1 (findings). */
export function timeCli(cli: string, args: string[], cwd: string): CliRun {
  const t0 = process.hrtime.bigint()
  const child = spawnSync(process.execPath, ['--import', reporter, cli, ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, CI: '1' },
  })
  const ms = Number(process.hrtime.bigint() - t0) / 1e6
  const line = child.stderr.split('\n').find((l) => l.startsWith('@@bench '))
  if (!line || (child.status !== 0 && child.status !== 1))
    throw new Error(`${cli} ${args.join(' ')} failed with exit ${child.status}:\n${child.stderr.slice(-2000)}`)
  const report = JSON.parse(line.slice(8)) as { maxRssKiB: number; cpuMs: number }
  return { ms, cpuMs: report.cpuMs, rssMiB: report.maxRssKiB / 1024, exit: child.status }
}

/** Time an arbitrary command (a peer scanner) by wall clock only; any exit is accepted. */
export function timeCommand(cmd: string, args: string[], cwd: string): number {
  const t0 = process.hrtime.bigint()
  const child = spawnSync(cmd, args, { cwd, stdio: 'ignore' })
  if (child.error) throw child.error
  return Number(process.hrtime.bigint() - t0) / 1e6
}

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number

/** Run every job `runs` times, round-robin (A B A B ...), and return each job's runs. */
export function interleave<T>(jobs: (() => T)[], runs: number): T[][] {
  const out: T[][] = jobs.map(() => [])
  for (let i = 0; i < runs; i++) for (let j = 0; j < jobs.length; j++) (out[j] as T[]).push((jobs[j] as () => T)())
  return out
}
