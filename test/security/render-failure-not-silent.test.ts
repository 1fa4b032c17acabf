import { afterEach, describe, expect, it } from 'vitest'
import { runInProcess } from '../../src/cli/in-process.test-support.js'
import { hostileRepo } from './hostile-repo.js'

let cleanup: (() => Promise<void>) | undefined
afterEach(async () => {
  await cleanup?.()
  cleanup = undefined
})

describe('a refused or failed render is never turned into "no findings"', () => {
  it('an overlay with a remote resource and a privileged Pod: the Pod is still checked, and the remote entry is an error at its line', async () => {
    const repo = await hostileRepo({
      'overlay/kustomization.yaml': 'resources:\n  - pod.yaml\n  - https://github.com/example/remote//base?ref=v1\n',
      'overlay/pod.yaml':
        'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27\n      securityContext:\n        privileged: true\n',
    })
    cleanup = repo.remove
    const run = await runInProcess(['scan', repo.root, '--format', 'json'], repo.root)
    const report = JSON.parse(run.stdout) as {
      findings: { policy: string; file: string }[]
      errors: { code: string; file?: string; line?: number; severity?: string }[]
    }
    expect(
      report.findings.some((f) => f.policy === 'disallow-privileged-containers' && f.file.endsWith('overlay/pod.yaml')),
    ).toBe(true)
    expect(
      report.errors
        .filter((e) => e.code === 'RENDER_FAILED' && e.file?.endsWith('overlay/kustomization.yaml'))
        .map((e) => [e.line, e.severity]),
    ).toEqual([[3, 'error']])
    expect(run.code).not.toBe(0)
  })
})
