import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runInProcess } from '../../src/cli/in-process.test-support.js'
import { CHART_YAML, hostileRepo } from './hostile-repo.js'

let cleanup: (() => Promise<void>) | undefined
afterEach(async () => {
  await cleanup?.()
  cleanup = undefined
})

// The pod's image and its privileged flag come from values; the image is echoed into an annotation.
const POD =
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    image: {{ .Values.image | quote }}\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27\n      securityContext:\n        privileged: {{ .Values.privileged | default false }}\n'

interface Report {
  findings: { policy: string }[]
  errors: { code: string; message: string; line?: number }[]
  sources: { status: string; reason?: string }[]
}

/** Scan a repository holding the chart and one Argo CD Application with the given `helm:` block. */
async function scanWith(helm: string, expectScanned = true): Promise<Report> {
  const repo = await hostileRepo({
    'chart/Chart.yaml': CHART_YAML,
    'chart/values.yaml': 'image: nginx\n',
    'chart/templates/pod.yaml': POD,
    'chart/privileged.txt': 'true',
    'palisade.yaml': 'render:\n  repoURLs: [https://github.com/example/repo]\n',
  })
  await writeFile(path.join(repo.outside, 'privileged.txt'), 'true')
  cleanup = repo.remove
  await writeFile(
    path.join(repo.root, 'app.yaml'),
    `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: web\nspec:\n  source:\n    repoURL: https://github.com/example/repo\n    path: chart\n    helm:\n${helm}\n  destination:\n    namespace: web\n`,
  )
  const run = await runInProcess(
    ['scan', repo.root, '--format', 'json', '--policies', 'disallow-privileged-containers'],
    repo.root,
  )
  const report = JSON.parse(run.stdout) as Report
  if (!expectScanned) return report
  expect(report.errors).toEqual([])
  expect(report.sources.map((s) => s.status)).toEqual(['scanned'])
  return report
}

const privileged = (r: Report) => r.findings.some((f) => f.policy === 'disallow-privileged-containers')

describe('Argo CD helm parameters render as Argo CD renders them', () => {
  it('a parameter named privileged is set (the control: the chart does read the key)', async () => {
    expect(privileged(await scanWith('      parameters:\n        - { name: privileged, value: "true" }'))).toBe(true)
  })

  it('a comma in a parameter value does not set a second key Argo CD never sets', async () => {
    for (const flag of ['', ', forceString: true'])
      expect(
        privileged(await scanWith(`      parameters:\n        - { name: image, value: "x,privileged=true"${flag} }`)),
      ).toBe(false)
  })

  it('a helm list value ({...}) is passed unescaped, as Argo CD passes it, so the key it sets is scanned', async () => {
    const report = await scanWith('      parameters:\n        - { name: image, value: "{a},privileged=true,tags={b}" }')
    expect(privileged(report)).toBe(true)
  })

  it('valuesObject wins over the values string: Argo CD ignores values when valuesObject is set', async () => {
    const report = await scanWith('      valuesObject: { privileged: true }\n      values: "privileged: false\\n"')
    expect(privileged(report)).toBe(true)
  })

  it('the values string applies when there is no valuesObject', async () => {
    expect(privileged(await scanWith('      values: "privileged: true\\n"'))).toBe(true)
  })

  it('a file parameter sets its key to the text of a file of the repository (helm --set-file), as in Argo CD', async () => {
    const report = await scanWith('      fileParameters:\n        - { name: privileged, path: privileged.txt }')
    expect(privileged(report)).toBe(true)
  })

  it('a file parameter outside the repository is refused at its line, and nothing is rendered', async () => {
    for (const where of ['../../outside/privileged.txt', 'https://example.com/privileged.txt']) {
      await cleanup?.()
      const report = await scanWith(`      fileParameters:\n        - { name: privileged, path: "${where}" }`, false)
      expect(privileged(report)).toBe(false)
      expect(report.sources.map((s) => s.status)).toContain('failed')
      expect(report.errors.find((e) => e.code === 'RENDER_FAILED')).toMatchObject({ line: 11 })
    }
  })
})
