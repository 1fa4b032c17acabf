import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { GitFixture } from '../testing/index.js'
import { runInProcess } from './in-process.test-support.js'

describe('palisade fix --staged', () => {
  const repo = new GitFixture()
  afterAll(() => repo.cleanup())

  it('fixes the staged manifests and stages the fixes; a file with unstaged changes is left out', async () => {
    repo.write('README.md', 'hello\n')
    repo.commit('start')
    const pod = (name: string): string =>
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n    - name: app\n      image: nginx:1.27\n`
    repo.write('apps/staged.yaml', pod('staged'))
    repo.write('apps/mixed.yaml', pod('mixed'))
    repo.write('apps/unstaged.yaml', pod('unstaged'))
    repo.git('add', 'apps/staged.yaml', 'apps/mixed.yaml')
    repo.write('apps/mixed.yaml', `${pod('mixed')}# edited after staging\n`)

    const run = await runInProcess(['fix', '--staged', '--format', 'json'], repo.dir)
    const report = JSON.parse(run.stdout) as { edits: { file: string }[]; rolledBack: { file: string }[] }
    expect([...new Set(report.edits.map((e) => e.file))]).toEqual(['apps/staged.yaml'])
    expect(report.rolledBack.map((r) => r.file)).toEqual(['apps/mixed.yaml'])
    const fixed = readFileSync(join(repo.dir, 'apps/staged.yaml'), 'utf8')
    expect(fixed).toContain('image: docker.io/library/nginx:1.27')
    expect(repo.git('show', ':apps/staged.yaml')).toBe(fixed) // staged again
    expect(readFileSync(join(repo.dir, 'apps/unstaged.yaml'), 'utf8')).toBe(pod('unstaged')) // not staged: not touched
    expect(readFileSync(join(repo.dir, 'apps/mixed.yaml'), 'utf8')).toBe(`${pod('mixed')}# edited after staging\n`)
  })
})
