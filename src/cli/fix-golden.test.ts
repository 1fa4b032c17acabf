import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { lineChanges } from '../fix/index.js'
import { runInProcess } from './in-process.test-support.js'

// Golden diffs of `palisade fix --dry-run --unsafe` per source kind: src/fix/fixtures/<kind>/<case>.yaml
// next to <case>.golden.diff. PALISADE_UPDATE_GOLDEN=1 rewrites the golden files (review the diff).
const FIXTURES = fileURLToPath(new URL('../fix/fixtures/plain/', import.meta.url))
const update = process.env.PALISADE_UPDATE_GOLDEN === '1'
const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

function scratch(file: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'palisade-fix-'))
  dirs.push(dir)
  copyFileSync(path.join(FIXTURES, file), path.join(dir, file))
  return dir
}

describe('palisade fix on plain manifests: golden diffs', () => {
  const cases = readdirSync(FIXTURES).filter((f) => f.endsWith('.yaml'))
  it.each(cases)('%s', async (file) => {
    const dir = scratch(file)
    const original = readFileSync(path.join(dir, file), 'utf8')
    const dry = await runInProcess(['fix', file, '--dry-run', '--unsafe', '--no-render'], dir)
    expect(dry.stderr).toBe('')
    expect(readFileSync(path.join(dir, file), 'utf8')).toBe(original) // --dry-run changes nothing
    const golden = path.join(FIXTURES, file.replace(/\.yaml$/, '.golden.diff'))
    if (update || !existsSync(golden)) writeFileSync(golden, dry.stdout)
    expect(dry.stdout).toBe(readFileSync(golden, 'utf8'))

    const real = await runInProcess(['fix', file, '--unsafe', '--no-render', '--format', 'json'], dir)
    const fixed = readFileSync(path.join(dir, file), 'utf8')
    const report = JSON.parse(real.stdout) as {
      edits: { range: { startLine: number; endLine: number }; before: string; after: string }[]
    }
    // Outside the edited lines every byte is as it was: the line diff holds only the reported edits.
    const changes = lineChanges(original, fixed)
    expect(
      changes.map((c) => ({ range: { startLine: c.start, endLine: c.end }, before: c.before, after: c.after })),
    ).toEqual(report.edits.map(({ range, before, after }) => ({ range, before, after })))
    // A second run changes nothing.
    const second = await runInProcess(['fix', file, '--unsafe', '--no-render', '--format', 'json'], dir)
    expect(readFileSync(path.join(dir, file), 'utf8')).toBe(fixed)
    expect((JSON.parse(second.stdout) as { edits: unknown[] }).edits).toEqual([])
  })
})

describe('palisade fix options', () => {
  it('applies only safe fixes without --unsafe and names the unsafe ones it left', async () => {
    const dir = scratch('comments.yaml')
    const run = await runInProcess(['fix', 'comments.yaml', '--no-render', '--format', 'json'], dir)
    const report = JSON.parse(run.stdout) as { fixed: { policy: string }[]; left: { policy: string; reason: string }[] }
    expect(new Set(report.fixed.map((f) => f.policy))).toEqual(
      new Set([
        'disallow-privilege-escalation',
        'require-fully-qualified-image-names',
        'require-image-pull-policy-always',
      ]),
    )
    expect(report.left.filter((l) => l.reason === 'unsafe').map((l) => l.policy)).toContain('require-run-as-non-root')
  })

  it('never makes an object the API server would reject: no allowPrivilegeEscalation false next to privileged true', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'palisade-fix-'))
    dirs.push(dir)
    const text =
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: docker.io/library/nginx:1\n      imagePullPolicy: Always\n      securityContext:\n        privileged: true\n'
    writeFileSync(path.join(dir, 'p.yaml'), text)
    const run = await runInProcess(['fix', 'p.yaml', '--no-render', '--format', 'json'], dir)
    const report = JSON.parse(run.stdout) as { left: { policy: string; reason: string }[] }
    expect(report.left.find((l) => l.policy === 'disallow-privilege-escalation')?.reason).toBe('invalid')
    expect(readFileSync(path.join(dir, 'p.yaml'), 'utf8')).toBe(text)
    expect(run.code).toBe(1) // exit code as for scan, on what remains
  })

  it('--format sarif gives each fixed result a single-file fix with whole-line replacements', async () => {
    const dir = scratch('plain.yaml')
    const run = await runInProcess(['fix', 'plain.yaml', '--no-render', '--dry-run', '--format', 'sarif'], dir)
    const sarif = JSON.parse(run.stdout) as {
      runs: {
        results: {
          ruleId: string
          fixes?: {
            artifactChanges: {
              artifactLocation: { uri: string }
              replacements: {
                deletedRegion: { startLine: number; endLine: number }
                insertedContent: { text: string }
              }[]
            }[]
          }[]
        }[]
      }[]
    }
    const image = sarif.runs[0]?.results.find((r) => r.ruleId === 'require-fully-qualified-image-names')
    expect(image?.fixes?.[0]?.artifactChanges[0]).toEqual({
      artifactLocation: { uri: 'plain.yaml', uriBaseId: '%SRCROOT%' },
      replacements: [
        {
          deletedRegion: { startLine: 16, startColumn: 1, endLine: 17, endColumn: 1 },
          insertedContent: { text: "          image: 'docker.io/library/nginx:1.27'\n" },
        },
      ],
    })
    expect(sarif.runs[0]?.results.find((r) => r.ruleId === 'require-liveness-probe')?.fixes).toBeUndefined()
  })

  it('--format markdown shows the diff of each finding', async () => {
    const dir = scratch('plain.yaml')
    const run = await runInProcess(['fix', 'plain.yaml', '--no-render', '--dry-run', '--format', 'markdown'], dir)
    expect(run.stdout).toContain('**require-fully-qualified-image-names** in `plain.yaml:16`')
    expect(run.stdout).toContain("-          image: 'nginx:1.27'\n+          image: 'docker.io/library/nginx:1.27'")
  })

  it('refuses stdin: fix edits files', async () => {
    const run = await runInProcess(['fix', '-'])
    expect(run.code).toBe(2)
  })
})

// Rendered sources: the fixture folder is copied whole; its golden diff sits next to it (src/fix/fixtures/<kind>.golden.diff).
describe('palisade fix on Helm charts and Kustomize overlays: golden diffs, proven by re-rendering', () => {
  const root = fileURLToPath(new URL('../fix/fixtures/', import.meta.url))
  it.each(['helm', 'kustomize'])(
    '%s',
    async (kind) => {
      const dir = mkdtempSync(path.join(tmpdir(), `palisade-fix-${kind}-`))
      dirs.push(dir)
      cpSync(path.join(root, kind), dir, { recursive: true })
      const dry = await runInProcess(['fix', '.', '--dry-run'], dir)
      expect(dry.stderr).toBe('')
      const golden = path.join(root, `${kind}.golden.diff`)
      if (update || !existsSync(golden)) writeFileSync(golden, dry.stdout)
      expect(dry.stdout).toBe(readFileSync(golden, 'utf8'))
      const files = (dry.stdout.match(/^\+\+\+ b\/(.+)$/gm) ?? []).map((l) => l.slice('+++ b/'.length))
      expect(files.length).toBeGreaterThan(0)
      for (const f of files)
        expect(readFileSync(path.join(dir, f), 'utf8')).toBe(readFileSync(path.join(root, kind, f), 'utf8')) // --dry-run put every byte back

      const real = JSON.parse((await runInProcess(['fix', '.', '--format', 'json'], dir)).stdout) as {
        fixed: unknown[]
        rolledBack: unknown[]
      }
      expect(real.fixed.length).toBeGreaterThan(0)
      expect(real.rolledBack).toEqual([])
      const again = JSON.parse((await runInProcess(['fix', '.', '--format', 'json'], dir)).stdout) as {
        edits: unknown[]
      }
      expect(again.edits).toEqual([])
    },
    120_000,
  )
})
