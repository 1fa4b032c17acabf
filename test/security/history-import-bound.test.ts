import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { historyWindow } from '../../src/app/history-window.js'
import { runInProcess } from '../../src/cli/in-process.test-support.js'
import { openStore } from '../../src/store/index.js'
import { gitInit, hostileTree } from './hostile-tree.js'

// `palisade history import` scans every commit (~0.25 s each): a history of thousands of
// commits must be bounded, with the cut said (never silently), and the pusher's commit dates
// (back-dated, in the future, equal, past year 9999) must not hide commits from --since or
// break the import.

const CONFIGMAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: shop\n'
const NOW = new Date('2026-02-01T00:00:00Z')
const at = (iso: string): number => Date.parse(iso) / 1000

let tree: ReturnType<typeof hostileTree>
let repo: string
beforeEach(() => {
  tree = hostileTree('history-bound')
  repo = join(tree.dir, 'repo')
  tree.write('repo/.keep', '')
  gitInit(repo)
})
afterEach(() => tree.cleanup())

/** Commits on main written by git fast-import, one per committer time (seconds since 1970), each changing one file. */
function commitsAt(times: readonly number[]): void {
  const stream: string[] = []
  times.forEach((time, i) => {
    const message = `step ${i + 1}`
    const file = `${CONFIGMAP}#${i}\n`
    stream.push(
      `commit refs/heads/main\nauthor T <t@example.com> ${time} +0000\ncommitter T <t@example.com> ${time} +0000\n`,
      `data ${Buffer.byteLength(message)}\n${message}\n`,
      `M 644 inline envs/prod/f${i % 5}.yaml\ndata ${Buffer.byteLength(file)}\n${file}\n`,
    )
  })
  execFileSync('git', ['fast-import', '--quiet'], { cwd: repo, input: stream.join('') })
  execFileSync('git', ['checkout', '-q', '-f', 'main'], { cwd: repo })
}
const newest = (n: number): string[] =>
  execFileSync('git', ['rev-list', '--first-parent', `-n${n}`, 'HEAD'], { cwd: repo, encoding: 'utf8' })
    .trim()
    .split('\n')
    .reverse()
const scanned = (stderr: string): string[] =>
  [...stderr.matchAll(/history \d+\/\d+ ([0-9a-f]{12}) /g)].map((m) => m[1]!)
const short = (shas: string[]): string[] => shas.map((s) => s.slice(0, 12))
const importArgs = (...extra: string[]): string[] => [
  'history',
  'import',
  '--no-render',
  '--store',
  join(tree.dir, 'store'),
  ...extra,
]

describe('history import is bounded, and says what the bound cuts', () => {
  it('a history of 300 commits with --max-commits 4 scans the newest 4, warns of the 296 left, and the next run goes on', async () => {
    commitsAt(Array.from({ length: 300 }, (_, i) => 1_700_000_000 + i * 60))
    const first = await runInProcess(importArgs('--max-commits', '4'), repo, NOW)
    expect(first.code).toBe(0)
    expect(first.stderr).toMatch(/history: 300 commits, 0 already recorded, 4 to scan\n/)
    const all = short(newest(300))
    expect(first.stderr).toContain(
      `warning: history cut by --max-commits 4: 296 older commits not imported (${all[0]} 2023-11-14 to ${all[295]} 2023-11-15); run again`,
    )
    expect(scanned(first.stderr)).toEqual(short(newest(4)))
    expect(first.stdout).toMatch(
      /^Recorded 4 of 300 commits .* \(0 already recorded, 296 older not imported \(--max-commits 4\)\);/,
    )
    const second = await runInProcess(importArgs('--max-commits', '4'), repo, NOW)
    expect(scanned(second.stderr)).toEqual(short(newest(8).slice(0, 4)))
    expect(second.stdout).toMatch(/^Recorded 4 of 300 commits .* \(4 already recorded, 292 older not imported/)
  })

  it('no warning when the bound holds the whole history', async () => {
    commitsAt([1_700_000_000, 1_700_000_060, 1_700_000_120])
    const run = await runInProcess(importArgs('--max-commits', '3'), repo, NOW)
    expect(run.stderr).not.toMatch(/warning/)
    expect(run.stdout).toMatch(/^Recorded 3 of 3 commits .* \(0 already recorded\);/)
  })

  for (const bad of ['0', '-1', '2.5', 'many'])
    it(`--max-commits ${bad} is a usage error`, async () => {
      const run = await runInProcess(importArgs(`--max-commits=${bad}`), repo, NOW)
      expect(run.code).toBe(2)
      expect(run.stderr).toMatch(/positive whole number of commits/)
    })
})

describe('history import --since on hostile commit dates', () => {
  // In branch order: before the window, in it, back-dated, in the future, two equal to the window's start.
  const DATES = [
    at('2026-01-10T00:00:00Z'),
    at('2026-01-20T00:00:00Z'),
    at('2000-01-01T00:00:00Z'),
    at('2099-01-01T00:00:00Z'),
    at('2026-01-15T00:00:00Z'),
    at('2026-01-15T00:00:00Z'),
  ]

  it('a back-dated commit does not hide the older commits of the window; future and equal dates are in it', () => {
    const listed = DATES.map((s, i) => ({ sha: String(i).repeat(40), committedAt: new Date(s * 1000) }))
    const window = historyWindow(listed, { since: new Date('2026-01-15T00:00:00Z'), max: 10, recorded: new Set() })
    expect(window.toScan.map((c) => c.sha[0])).toEqual(['1', '3', '4', '5'])
    expect(window.notImported).toEqual([])
    // Read back to the oldest commit scanned (the second), not only from the back-dated one.
    expect(window.readCount).toBe(5)
  })

  it('the bound keeps the newest in branch order, not the latest dates', () => {
    const listed = DATES.map((s, i) => ({ sha: String(i).repeat(40), committedAt: new Date(s * 1000) }))
    const window = historyWindow(listed, { max: 2, recorded: new Set(['5'.repeat(40)]) })
    expect(window.toScan.map((c) => c.sha[0])).toEqual(['3', '4'])
    expect(window.notImported.map((c) => c.sha[0])).toEqual(['0', '1', '2'])
  })

  it('end to end: the window holds the commit before the back-dated one; the future one is recorded at the import time', async () => {
    commitsAt(DATES)
    const run = await runInProcess(importArgs('--since', '2026-01-15'), repo, NOW)
    expect(run.code).toBe(0)
    const shas = newest(6)
    expect(scanned(run.stderr)).toEqual(short([shas[1]!, shas[3]!, shas[4]!, shas[5]!]))
    expect(run.stderr).toContain(`commit ${shas[3]!.slice(0, 12)} claims a commit time in the future (2099-01-01`)
    expect(run.stdout).toMatch(/^Recorded 4 of 4 commits /)
    const store = await openStore({ engine: 'pglite', dir: join(tree.dir, 'store') }, { pid: process.pid })
    try {
      const rows = await store.client.query<{ commit_sha: string; started: string }>(
        `SELECT commit_sha, to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS started FROM runs ORDER BY id`,
      )
      expect(rows.map((r) => [r.commit_sha, r.started])).toEqual([
        [shas[1], '2026-01-20'],
        [shas[3], '2026-02-01'],
        [shas[4], '2026-01-15'],
        [shas[5], '2026-01-15'],
      ])
    } finally {
      await store.close()
    }
  })

  it('a commit dated past year 9999 (or past what a date holds) is imported, at the import time', async () => {
    commitsAt([at('2026-01-20T00:00:00Z'), 253_402_300_800, 99_999_999_999_999])
    const run = await runInProcess(importArgs(), repo, NOW)
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^Recorded 3 of 3 commits /)
    expect(run.stderr.match(/claims a commit time in the future/g)).toHaveLength(2)
  })
})
