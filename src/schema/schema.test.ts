import { describe, expect, it } from 'vitest'
import { installedKubernetesVersions, loadValidator } from './index.js'

const deployment = (spec: Record<string, unknown>) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec,
})
const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } }

describe('Kubernetes schema validation (offline schemas from npm ci)', () => {
  it('has the schemas of Kubernetes 1.25 to 1.37 installed', async () => {
    expect(await installedKubernetesVersions()).toEqual(Array.from({ length: 13 }, (_, i) => `1.${25 + i}`))
  })

  it('accepts a valid object and reports each invalid field by JSON Pointer', async () => {
    const v = await loadValidator('1.35')
    expect(v.validate(deployment({ selector: { matchLabels: { app: 'web' } }, template }))).toEqual({ status: 'valid' })
    const bad = v.validate(
      deployment({
        replicas: 'two',
        selector: { matchLabels: { app: 'web' } },
        template: { spec: { containers: [{ name: 'web', ports: [{ containerPort: 'http' }] }] } },
      }),
    )
    expect(bad).toEqual({
      status: 'invalid',
      errors: [
        { pointer: '/spec/replicas', message: 'must be integer' },
        { pointer: '/spec/template/spec/containers/0/ports/0/containerPort', message: 'must be integer' },
      ],
    })
  })

  it('reports a missing required field', async () => {
    const v = await loadValidator('1.35')
    expect(v.validate(deployment({ template }))).toEqual({
      status: 'invalid',
      errors: [{ pointer: '/spec', message: 'missing required field "selector"' }],
    })
  })

  it('skips custom resources instead of failing them', async () => {
    const v = await loadValidator('1.35')
    expect(
      v.validate({
        apiVersion: 'helm.toolkit.fluxcd.io/v2',
        kind: 'HelmRelease',
        metadata: { name: 'x' },
        spec: { bogus: 1 },
      }),
    ).toEqual({
      status: 'skipped',
      reason: 'no schema for helm.toolkit.fluxcd.io/v2 HelmRelease in Kubernetes 1.35',
    })
  })

  it('knows which APIs a version has: flowcontrol v1beta2 is gone after 1.28', async () => {
    const flowSchema = {
      apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2',
      kind: 'FlowSchema',
      metadata: { name: 'x' },
      spec: { priorityLevelConfiguration: { name: 'global-default' } },
    }
    expect((await loadValidator('1.28')).validate(flowSchema).status).toBe('valid')
    expect((await loadValidator('1.29')).validate(flowSchema).status).toBe('skipped')
  })

  it('rejects unknown fields only in strict mode', async () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', lables: { a: 'b' } }, data: { a: 'b' } }
    expect((await loadValidator('1.35')).validate(cm).status).toBe('valid')
    expect((await loadValidator('1.35', { strict: true })).validate(cm)).toEqual({
      status: 'invalid',
      errors: [{ pointer: '/metadata/lables', message: 'unknown field "lables"' }],
    })
  })

  it('names the installed versions when asked for one that is not', async () => {
    await expect(loadValidator('1.12')).rejects.toMatchObject({
      code: 'USAGE',
      message: expect.stringMatching(/no Kubernetes 1\.12 schemas/),
      details: { hint: expect.stringMatching(/1\.25, 1\.26.*1\.37/) },
    })
  })
})
