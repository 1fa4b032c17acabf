/**
 * Hole: Argo CD directory include/exclude globs (and ApplicationSet git generator
 * directories) come from the scanned repository and were matched with picomatch's
 * backtracking regular expressions: `*a*a*a*a*a*a*a*a*.yaml` against a 60-character file
 * name runs for hours. They are now matched by RE2. The scan runs in a child process so
 * that, before the fix, the test fails on the time-out instead of hanging the runner.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { scanInChild, tempDir, writeFiles } from './hostile-fixtures.js'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

const REPO_URL = 'https://git.example.com/org/platform.git'
const APPLICATION = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: web
  namespace: argocd
spec:
  project: default
  source:
    repoURL: ${REPO_URL}
    path: deploy
    directory:
      recurse: true
      include: '*a*a*a*a*a*a*a*a*.yaml'
  destination:
    server: https://kubernetes.default.svc
    namespace: shop
`
const pod = (name: string) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { hostPID: true, containers: [{ name: 'app', image: 'registry.example.com/app:1.0.0' }] },
  })

describe('an Argo CD Application whose directory include glob backtracks exponentially', () => {
  it('is rendered in time: the matching file is scanned, the near miss is not', () => {
    const { dir, remove } = tempDir('palisade-hostile-glob-')
    cleanup = remove
    writeFiles(dir, {
      'argocd/web.yaml': APPLICATION,
      'deploy/aaaaaaaa.yaml': pod('included'),
      [`deploy/${'a'.repeat(60)}.yml`]: pod('near-miss'),
    })
    const run = scanInChild(dir, ['.', '--repo-url', REPO_URL, '--format', 'json', '--no-color'], 60_000)
    expect(run.signal, 'the scan was killed after 60 s').toBeNull()
    expect([0, 1], run.stderr).toContain(run.code)
    const out = JSON.parse(run.stdout) as {
      sources: { name: string; status: string; resources: number }[]
      findings: { resource: { name: string } }[]
    }
    // The Application renders exactly the one file its include glob selects.
    expect(out.sources.filter((s) => s.name === 'web').map((s) => [s.status, s.resources])).toEqual([['scanned', 1]])
    expect(out.findings.some((f) => f.resource.name === 'included')).toBe(true)
  })
})
