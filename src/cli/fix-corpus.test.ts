import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { lineChanges } from '../fix/index.js'
import { corpusPath, hasCorpus } from '../testing/corpus.js'
import { runInProcess } from './in-process.test-support.js'

// `palisade fix` over every repository of ../shared/corpus/repos, each copied to a scratch folder.
const repos = hasCorpus() ? readdirSync(corpusPath('repos')).filter((r) => !r.startsWith('.')) : []
const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

interface ScanJson {
  findings: { fingerprint: string; policy: string }[]
  sources?: { status: string }[]
}
interface FixJson {
  summary: { findings: number; fixed: number; left: number; reasons: Record<string, number> }
  edits: { file: string; range: { startLine: number; endLine: number }; before: string; after: string }[]
  fixed: { fingerprint: string; file: string }[]
  rolledBack: unknown[]
}

const count = (list: readonly { fingerprint: string }[]): Map<string, number> => {
  const m = new Map<string, number>()
  for (const f of list) m.set(f.fingerprint, (m.get(f.fingerprint) ?? 0) + 1)
  return m
}

describe.skipIf(repos.length === 0)('palisade fix on the corpus repositories', () => {
  it.each(repos)(
    '%s: fixed findings gone, none new, same renders, second run changes nothing, only edited lines differ',
    async (repo) => {
      const dir = mkdtempSync(path.join(tmpdir(), `palisade-fix-${repo}-`))
      dirs.push(dir)
      cpSync(corpusPath('repos', repo), dir, { recursive: true })
      const scanBefore = JSON.parse((await runInProcess(['scan', '.', '--format', 'json'], dir)).stdout) as ScanJson
      const originals = new Map<string, string>()
      const read = (file: string): string => readFileSync(path.join(dir, file), 'utf8')
      const dry = JSON.parse((await runInProcess(['fix', '.', '--format', 'json', '--dry-run'], dir)).stdout) as FixJson
      for (const e of dry.edits) if (!originals.has(e.file)) originals.set(e.file, read(e.file))
      // --dry-run proves rendered edits on disk, then puts every byte back.
      for (const [file, text] of originals) expect(text).toBe(readFileSync(corpusPath('repos', repo, file), 'utf8'))

      const fix = JSON.parse((await runInProcess(['fix', '.', '--format', 'json'], dir)).stdout) as FixJson
      expect(fix.summary.findings).toBe(scanBefore.findings.length)
      expect(fix.edits).toEqual(dry.edits)
      const scanAfter = JSON.parse((await runInProcess(['scan', '.', '--format', 'json'], dir)).stdout) as ScanJson
      const was = count(scanBefore.findings)
      const now = count(scanAfter.findings)
      const gone = count(fix.fixed)
      for (const [fp, n] of now)
        expect(n, `finding ${fp} is new or still there`).toBeLessThanOrEqual((was.get(fp) ?? 0) - (gone.get(fp) ?? 0))
      expect(fix.summary.fixed + fix.summary.left).toBe(fix.summary.findings)
      expect(fix.rolledBack).toEqual([])
      const scanned = (s: ScanJson): number => (s.sources ?? []).filter((x) => x.status === 'scanned').length
      expect(scanned(scanAfter)).toBe(scanned(scanBefore))

      // Outside the edited lines every byte is unchanged: the line diff of each file is exactly its reported edits.
      for (const [file, before] of originals) {
        const changes = lineChanges(before, read(file)).map((c) => ({
          file,
          range: { startLine: c.start, endLine: c.end },
          before: c.before,
          after: c.after,
        }))
        expect(changes).toEqual(
          fix.edits.filter((e) => e.file === file).map(({ range, before, after }) => ({ file, range, before, after })),
        )
      }
      const second = JSON.parse((await runInProcess(['fix', '.', '--format', 'json'], dir)).stdout) as FixJson
      expect(second.edits).toEqual([])
      // The closing note's figures: findings before, fixed, left by reason.
      process.stdout.write(`fix figures ${repo}: ${JSON.stringify(fix.summary)}\n`)
    },
    240_000,
  )
})
