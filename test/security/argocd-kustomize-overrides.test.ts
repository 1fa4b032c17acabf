import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runInProcess } from '../../src/cli/in-process.test-support.js'
import { parseImageOverride } from '../../src/gitops/argocd-kustomize.js'
import { hostileRepo } from './hostile-repo.js'

let cleanup: (() => Promise<void>) | undefined
afterEach(async () => {
  await cleanup?.()
  cleanup = undefined
})

const POD =
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27\n'

interface Report {
  findings: { policy: string }[]
  errors: { code: string; message: string; line?: number }[]
  sources: { status: string; reason?: string; line?: number }[]
  code: number
}

/** Scan an overlay (kustomization text) deployed by one Argo CD Application with the given `kustomize:` block. */
async function scanWith(kustomize: string, kustomization = 'resources: [pod.yaml]\n'): Promise<Report> {
  const repo = await hostileRepo({
    'overlay/kustomization.yaml': kustomization,
    'overlay/pod.yaml': POD,
    'palisade.yaml': 'render:\n  repoURLs: [https://github.com/example/repo]\n',
  })
  cleanup = repo.remove
  await writeFile(
    path.join(repo.root, 'app.yaml'),
    `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: web\nspec:\n  source:\n    repoURL: https://github.com/example/repo\n    path: overlay\n    kustomize:\n${kustomize}\n  destination:\n    namespace: web\n`,
  )
  const run = await runInProcess(
    ['scan', repo.root, '--format', 'json', '--policies', 'disallow-latest-image-tag'],
    repo.root,
  )
  return { ...(JSON.parse(run.stdout) as Report), code: run.code }
}

const latest = (r: Report) => r.findings.some((f) => f.policy === 'disallow-latest-image-tag')
// Line 10 of app.yaml is the `kustomize:` block's first field.
const refusedAt = (r: Report, line: number) =>
  r.sources.some((s) => s.status === 'failed' && s.line === line) && !latest(r)

describe('Argo CD kustomize overrides render as Argo CD renders them, or block', () => {
  it('the control: the overlay alone pins its image', async () => {
    const report = await scanWith('      namespace: web')
    expect(report.sources.map((s) => s.status)).toEqual(['scanned'])
    expect(latest(report)).toBe(false)
    expect(report.code).toBe(0)
  })

  it('kustomize.images puts :latest into the render, as kustomize edit set image does in Argo CD', async () => {
    for (const image of ['nginx:latest', 'nginx=registry.example.com:5000/team/nginx:latest']) {
      const report = await scanWith(`      images: [${JSON.stringify(image)}]`)
      expect(report.sources.map((s) => s.status)).toEqual(['scanned'])
      expect(latest(report)).toBe(true)
    }
  })

  it('an image the overlay sets too, a variable or a * is refused at its line, not scanned with the overlay image', async () => {
    const own = 'resources: [pod.yaml]\nimages:\n  - { name: nginx, newTag: "1.28" }\n'
    expect(refusedAt(await scanWith('      images: ["nginx:latest"]', own), 10)).toBe(true)
    expect(refusedAt(await scanWith('      images: ["nginx:${ARGOCD_APP_REVISION}"]'), 10)).toBe(true)
    expect(refusedAt(await scanWith('      images: ["nginx=*:latest"]'), 10)).toBe(true)
  })

  it('an override Palisade does not apply (namePrefix, patches, replicas, ...) blocks at its line', async () => {
    for (const [field, value] of [
      ['namePrefix', 'prod-'],
      ['replicas', '[{ name: p, count: 3 }]'],
      ['patches', '[{ patch: "[]", target: { kind: Pod } }]'],
    ]) {
      const report = await scanWith(`      namespace: web\n      ${field}: ${value}`)
      const app = report.sources.find((s) => s.status === 'failed')
      expect(app?.line).toBe(11)
      expect(app?.reason).toContain(`override ${field} is not applied`)
      expect(report.code).not.toBe(0)
    }
  })
})

describe('kustomize.images entries parse as kustomize edit set image parses them', () => {
  it('name:tag, old=new:tag@digest, a registry port', () => {
    expect(parseImageOverride('nginx:1.2')).toEqual({ name: 'nginx', newTag: '1.2' })
    expect(parseImageOverride('a=r.io:5000/b/c:t@sha256:' + 'a'.repeat(64))).toEqual({
      name: 'a',
      newName: 'r.io:5000/b/c',
      newTag: 't',
      digest: 'sha256:' + 'a'.repeat(64),
    })
    expect(parseImageOverride('mysql=mariadb')).toEqual({ name: 'mysql', newName: 'mariadb' })
  })

  it('refuses what it cannot reproduce', () => {
    for (const bad of ['nginx', 'nginx:*', 'a=b:$X', 'a b:1', '-x:1', 'a/b:c:d', 'a=b@sha256:zz'])
      expect(parseImageOverride(bad)).toBeUndefined()
  })
})
