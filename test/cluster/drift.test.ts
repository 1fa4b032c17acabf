import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { KubeClient } from '../../src/cluster/index.js'
import type { KubeObject } from '../../src/core/index.js'
import { runInProcess } from '../../src/cli/in-process.test-support.js'
import { stringifyManifests } from '../../src/yaml/index.js'
import { adminClient, cluster, mergePatch, mustCreate, uniqueNamespace } from './kube.js'

const IMAGE = 'registry.example/web@sha256:' + 'b'.repeat(64)

const deployment = (ns: string, name: string, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: ns, labels: { app: name, ...labels } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'web', image: IMAGE, securityContext: { allowPrivilegeEscalation: false } }] },
    },
  },
})

const networkPolicy = (ns: string): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'default-deny', namespace: ns },
  spec: { podSelector: {}, policyTypes: ['Ingress'] },
})

interface Finding {
  policy: string
  action: string
  message: string
  resource: { kind: string; name: string }
  path: string
  file: string
  line: number
}

describe.skipIf(!cluster)('palisade drift against a real kube-apiserver', () => {
  let client: KubeClient
  let ns: string
  let repo: string
  const drift = async (): Promise<{ code: number; findings: Finding[]; stderr: string }> => {
    const run = await runInProcess([
      'drift',
      repo,
      '--kubeconfig',
      cluster?.kubeconfig as string,
      '--policies',
      'pss-baseline',
      '--format',
      'json',
      '--no-render',
    ])
    const report = JSON.parse(run.stdout) as { findings: Finding[] }
    return { code: run.code, findings: report.findings, stderr: run.stderr }
  }
  beforeAll(async () => {
    client = adminClient()
    ns = uniqueNamespace('drift')
    repo = path.join(cluster?.dir as string, `repo-${ns}`)
    mkdirSync(repo, { recursive: true })
    const git = [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
      deployment(ns, 'web'),
      networkPolicy(ns),
    ]
    writeFileSync(path.join(repo, 'app.yaml'), stringifyManifests(git))
    // What a GitOps controller would have applied.
    for (const object of git) await mustCreate(client, object)
  })
  afterAll(() => client?.close())

  it('finds no drift when the cluster runs what Git says (server defaults and bookkeeping ignored)', async () => {
    const run = await drift()
    expect(run.findings).toEqual([])
    expect(run.code).toBe(0)
  })

  it('a label-only change is drift, at its line in Git, and not security-relevant', async () => {
    await mergePatch(client, deployment(ns, 'web'), { metadata: { labels: { team: 'night-shift' } } })
    const run = await drift()
    expect(run.findings.map((f) => [f.policy, f.resource.name, f.path, f.action])).toEqual([
      ['drift-changed', 'web', '/metadata/labels/team', 'warn'],
    ])
    expect(run.findings[0]?.file).toMatch(/app\.yaml$/)
    expect(run.findings[0]?.line).toBeGreaterThan(1)
    expect(run.code).toBe(0)
  })

  it('a Deployment deleted from Git but still live is unmanaged', async () => {
    await mustCreate(client, deployment(ns, 'legacy'))
    const run = await drift()
    const legacy = run.findings.filter((f) => f.resource.name === 'legacy')
    expect(legacy.map((f) => [f.policy, f.action])).toEqual([['drift-unmanaged', 'warn']])
    expect(run.code).toBe(0)
  })

  it('a privileged Pod created out of band is security-relevant drift (exit 1)', async () => {
    await mustCreate(client, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'priv', namespace: ns },
      spec: { containers: [{ name: 'x', image: IMAGE, securityContext: { privileged: true } }] },
    })
    const run = await drift()
    const priv = run.findings.filter((f) => f.resource.name === 'priv')
    expect(priv.map((f) => [f.policy, f.action])).toEqual([['drift-unmanaged', 'deny']])
    expect(priv[0]?.message).toMatch(/disallow-privileged/)
    expect(run.code).toBe(1)
  })

  it('an image changed live and a NetworkPolicy removed live are security-relevant', async () => {
    await mergePatch(
      client,
      deployment(ns, 'web'),
      { spec: { template: { spec: { containers: [{ name: 'web', image: 'registry.example/web:evil' }] } } } },
      'strategic',
    )
    await client.request('DELETE', `/apis/networking.k8s.io/v1/namespaces/${ns}/networkpolicies/default-deny`)
    const run = await drift()
    const web = run.findings.filter((f) => f.resource.name === 'web')
    expect(web.map((f) => [f.path, f.action]).sort()).toEqual([
      ['/metadata/labels/team', 'warn'],
      ['/spec/template/spec/containers/0/image', 'deny'],
    ])
    const np = run.findings.filter((f) => f.resource.kind === 'NetworkPolicy')
    expect(np.map((f) => [f.policy, f.action])).toEqual([['drift-missing', 'deny']])
    expect(run.code).toBe(1)
  })
})
