import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from './run-cli.js'

// What a reader of a large scan needs first, and what was left out, in text, Markdown and SARIF.

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'palisade-report-'))
  mkdirSync(join(dir, 'apps'))
  // A privileged Pod (critical) that also uses :latest (medium), and an Argo CD Application that points at another repository.
  writeFileSync(
    join(dir, 'apps', 'pod.yaml'),
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: team\nspec:\n  containers:\n    - name: app\n      image: nginx:latest\n      securityContext:\n        privileged: true\n',
  )
  writeFileSync(
    join(dir, 'apps', 'other.yaml'),
    'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: other\n  namespace: argocd\nspec:\n  project: team\n  source:\n    repoURL: https://git.example.com/other.git\n    path: deploy\n    targetRevision: v1.0.0\n  destination:\n    server: https://kubernetes.default.svc\n    namespace: other\n',
  )
  writeFileSync(join(dir, 'palisade.yaml'), 'actions:\n  severity:\n    medium: warn\n')
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('scan reports for people', () => {
  const policies = ['-p', 'disallow-privileged-containers,disallow-latest-image-tag']

  it('text leads with findings by severity and policy, lists what is critical or blocks, and --verbose lists the rest', () => {
    const run = runCli(['scan', 'apps', ...policies], { cwd: dir })
    const lines = run.stdout.split('\n')
    expect(lines[0]).toBe('Findings: 1 critical, 0 high, 1 medium, 0 low, 0 info')
    expect(lines[1]).toMatch(/^ {2}critical +1 {2}disallow-privileged-containers +1 deny$/)
    // The medium finding comes after the critical one, on one line; --verbose adds its details and code frame.
    expect(run.stdout).toMatch(
      /critical +DENY +disallow-privileged-containers[^]*\n {2}apps\/pod\.yaml:9:\d+ +medium +WARN +disallow-latest-image-tag .*\n\n1 finding of medium/,
    )
    expect(run.stdout).toContain(
      '1 finding of medium, low or info severity shown briefly: --verbose shows every finding in full.',
    )
    const verbose = runCli(['scan', 'apps', ...policies, '--verbose'], { cwd: dir })
    expect(verbose.stdout).toMatch(/medium +WARN +disallow-latest-image-tag .*\n {4}in Pod\/team\/web at /)
    expect(verbose.code).toBe(run.code)
  })

  it('Markdown lists the sources not scanned and says where the full report is', () => {
    const run = runCli(['scan', 'apps', ...policies, '-f', 'markdown'], {
      cwd: dir,
      env: { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/gitops', GITHUB_RUN_ID: '77' },
    })
    expect(run.stdout).toContain('### Not scanned (1)')
    expect(run.stdout).toMatch(/^- not scanned: Argo CD Application other \(apps\/other\.yaml\): .+$/m)
    expect(run.stdout).toContain('Full report: <https://github.com/acme/gitops/actions/runs/77>.')
  })

  it('SARIF carries a notification for each source not scanned', () => {
    const sarif = JSON.parse(runCli(['scan', 'apps', ...policies, '-f', 'sarif'], { cwd: dir }).stdout) as {
      runs: {
        invocations: { toolExecutionNotifications?: { descriptor: { id: string }; message: { text: string } }[] }[]
      }[]
    }
    const notes = sarif.runs[0]?.invocations[0]?.toolExecutionNotifications ?? []
    expect(notes.filter((n) => n.descriptor.id === 'SOURCE_NOT_SCANNED').map((n) => n.message.text)).toEqual([
      expect.stringMatching(/^not scanned: Argo CD Application other: /),
    ])
  })
})
