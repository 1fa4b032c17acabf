import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runCli } from '../e2e/run-cli.js'
import { CHART_YAML, hostileRepo } from './hostile-repo.js'

const TOKEN = 'ghp_confineTestToken0123456789abcdefABCD'
let cleanup: (() => Promise<void>) | undefined
afterEach(async () => {
  await cleanup?.()
  cleanup = undefined
})

describe('a chart cannot make helm read outside the repository', () => {
  it('a files/ link to /proc/self/environ read with .Files.Get prints nothing of the CI environment, in any report format', async () => {
    const repo = await hostileRepo(
      {
        'chart/Chart.yaml': CHART_YAML,
        'chart/templates/pod.yaml':
          'apiVersion: v1\nkind: Pod\nmetadata:\n  name: leak\nspec:\n  containers:\n    - name: c\n      image: {{ .Files.Get "files/env" | quote }}\n',
      },
      { 'chart/files/env': '/proc/self/environ' },
    )
    cleanup = repo.remove
    for (const format of ['text', 'json', 'sarif', 'junit']) {
      const run = runCli(['scan', repo.root, '--format', format], {
        env: { GITHUB_TOKEN: TOKEN, PALISADE_TEST_SECRET: TOKEN },
      })
      expect(run.stdout + run.stderr).not.toContain(TOKEN)
      expect(run.stdout + run.stderr).not.toContain('PALISADE_TEST_SECRET')
    }
    const json = JSON.parse(
      runCli(['scan', repo.root, '--format', 'json'], { env: { GITHUB_TOKEN: TOKEN } }).stdout,
    ) as { errors: { message: string; file?: string }[] }
    expect(json.errors.some((e) => /files\/env is a symbolic link that leaves the repository/.test(e.message))).toBe(
      true,
    )
  })

  it('a templates/ link to a file outside the repository is neither rendered nor shown', async () => {
    const repo = await hostileRepo(
      {
        'chart/Chart.yaml': CHART_YAML,
        'chart/templates/ok.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n',
      },
      { 'chart/templates/stolen.yaml': '../../../outside/secret.yaml' },
    )
    cleanup = repo.remove
    await writeFile(
      path.join(repo.outside, 'secret.yaml'),
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: outside-marker-7f3a\nspec:\n  containers:\n    - name: c\n      image: nginx\n      securityContext: { privileged: true }\n',
    )
    const run = runCli(['scan', repo.root, '--format', 'json'])
    expect(run.stdout).not.toContain('outside-marker-7f3a')
    const json = JSON.parse(run.stdout) as {
      errors: { message: string }[]
      sources: { status: string; resources: number }[]
    }
    expect(json.errors.some((e) => /stolen\.yaml is a symbolic link that leaves the repository/.test(e.message))).toBe(
      true,
    )
    expect(json.sources.find((s) => s.status === 'scanned')?.resources).toBe(1)
  })
})
