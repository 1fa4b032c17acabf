import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runInProcess } from './in-process.test-support.js'

/** require-promoted-image from real Git history: what staging ran, and for how long (the clock is 2026-01-01). */
const d = (c: string): string => `sha256:${c.repeat(64)}`
const pod = (name: string, digest: string): string =>
  `apiVersion: v1\nkind: Pod\nmetadata: { name: ${name}, namespace: shop }\nspec:\n  containers:\n    - name: app\n      image: registry.example.com/shop/${name}@${digest}\n`

describe('scan: promotion from staging, read from Git history', () => {
  let dir: string
  const git = (args: string[], date?: string): void => {
    const env = {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
      ...(date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {}),
    }
    const r = spawnSync('git', ['-c', 'commit.gpgsign=false', ...args], { cwd: dir, env, encoding: 'utf8' })
    expect(r.status, r.stderr).toBe(0)
  }
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'palisade-promotion-'))
    mkdirSync(path.join(dir, 'staging'))
    mkdirSync(path.join(dir, 'production'))
    writeFileSync(
      path.join(dir, 'palisade.yaml'),
      'environments:\n  - name: production\n    paths: ["production/**"]\n  - name: staging\n    paths: ["staging/**"]\nimages:\n  - match: ["registry.example.com/**"]\n    environments: [production]\n    promotion: { from: staging, minSoak: 48h }\n',
    )
    // Staging ran a for three days; b for one day, replaced by c an hour ago.
    writeFileSync(path.join(dir, 'staging/a.yaml'), pod('a', d('a')))
    writeFileSync(path.join(dir, 'staging/b.yaml'), pod('b', d('b')))
    git(['init', '-q', '-b', 'main'])
    git(['add', '.'])
    git(['commit', '-q', '-m', 'staging a, b'], '2025-12-29T00:00:00Z')
    writeFileSync(path.join(dir, 'staging/b.yaml'), pod('b', d('c')))
    git(['commit', '-qam', 'staging c'], '2025-12-30T00:00:00Z')
    writeFileSync(path.join(dir, 'staging/b.yaml'), pod('b', d('b')))
    git(['commit', '-qam', 'staging b again'], '2025-12-31T23:00:00Z')
    for (const [name, digest] of [
      ['a', d('a')],
      ['b', d('b')],
      ['c', d('c')],
      ['e', d('e')],
    ] as const)
      writeFileSync(path.join(dir, `production/${name}.yaml`), pod(name, digest))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('passes a digest staging ran for minSoak, fails one it never ran or ran too briefly', async () => {
    const run = await runInProcess(['scan', 'production', '--no-render', '--format', 'json'], dir)
    const found = (
      JSON.parse(run.stdout) as {
        findings: { policy: string; ruleId?: string; message: string; resource: { name: string }; line: number }[]
      }
    ).findings.filter((f) => f.policy === 'require-promoted-image')
    const by = Object.fromEntries(found.map((f) => [f.resource.name, f.message]))
    expect(Object.keys(by).sort()).toEqual(['b', 'c', 'e'])
    expect(by.b).toContain('ran in staging for 24.0 h') // b: one day, then replaced; back an hour ago (runs are not added up)
    expect(by.c).toContain('ran in staging for 47.0 h') // c: from Dec 30 to Dec 31 23:00
    expect(by.e).toContain('no staging revision ran')
    expect(found.every((f) => f.line === 7)).toBe(true)
    expect(run.code).toBe(1)
  })

  it('outside a Git repository, promotion cannot be checked: an error that blocks', async () => {
    const plain = mkdtempSync(path.join(tmpdir(), 'palisade-nogit-'))
    try {
      mkdirSync(path.join(plain, 'production'))
      writeFileSync(
        path.join(plain, 'palisade.yaml'),
        'environments:\n  - name: production\n    paths: ["production/**"]\n  - name: staging\n    paths: ["staging/**"]\nimages:\n  - match: ["registry.example.com/**"]\n    promotion: { from: staging, minSoak: 1h }\n',
      )
      writeFileSync(path.join(plain, 'production/a.yaml'), pod('a', d('a')))
      const run = await runInProcess(['scan', 'production', '--no-render', '--format', 'json'], plain)
      const found = (
        JSON.parse(run.stdout) as { findings: { policy: string; status: string; message: string }[] }
      ).findings.filter((f) => f.policy === 'require-promoted-image')
      expect(found.map((f) => f.status)).toEqual(['error'])
      expect(found[0]?.message).toContain('Git history of staging')
      expect(run.code).toBe(1)
    } finally {
      rmSync(plain, { recursive: true, force: true })
    }
  })
})
